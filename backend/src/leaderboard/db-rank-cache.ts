import type { SqlRunner } from "@arena/db";
import type { RankCache, RankedEntry, RankQuery, ScoreRow } from "./rank-cache.ts";
import { boardDirection } from "./rank-order.ts";

interface Row {
  user_id: number;
  score: string | number;
  reached_at: Date | string;
}

const toEntry = (row: Row, rank: number): RankedEntry => ({
  userId: Number(row.user_id),
  score: Number(row.score),
  reachedAtMs: new Date(row.reached_at).getTime(),
  rank,
});

/** {@link RankCache} answered straight from the `scores` table (embedded default, and the fallback). */
export class DbRankCache implements RankCache {
  constructor(private readonly sql: SqlRunner) {}

  async apply(_rows: ScoreRow[]): Promise<void> {}

  async removeUser(): Promise<void> {}

  applyAndRank(_rows: ScoreRow[], queries: RankQuery[]): Promise<(number | null)[]> {
    return this.ranks(queries);
  }

  async ranks(queries: RankQuery[]): Promise<(number | null)[]> {
    if (queries.length === 0) return [];
    const rows = await this.sql.query<{ i: number; rank: string | null }>(
      `SELECT q.i, CASE WHEN s.user_id IS NULL THEN NULL ELSE (SELECT count(*) + 1 FROM scores o
                     WHERE o.board = s.board AND o.period = s.period
                       AND (CASE WHEN q.ascending THEN o.score < s.score ELSE o.score > s.score END
                            OR (o.score = s.score AND (o.reached_at < s.reached_at
                                OR (o.reached_at = s.reached_at AND o.user_id < s.user_id))))) END AS rank
         FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::bool[]) AS q(i, board, period, user_id, ascending)
         LEFT JOIN scores s ON s.board = q.board AND s.period = q.period AND s.user_id = q.user_id`,
      [
        queries.map((_, i) => i),
        queries.map((q) => q.board),
        queries.map((q) => q.period),
        queries.map((q) => q.userId),
        queries.map((q) => boardDirection(q.board) === "asc"),
      ],
    );
    const out: (number | null)[] = queries.map(() => null);
    for (const row of rows) out[Number(row.i)] = row.rank === null ? null : Number(row.rank);
    return out;
  }

  async range(board: string, period: string, fromRank: number, toRank: number): Promise<RankedEntry[]> {
    const from = Math.max(1, fromRank);
    if (toRank < from) return [];
    const order = boardDirection(board) === "asc" ? "ASC" : "DESC";
    const rows = await this.sql.query<Row>(
      `SELECT user_id, score, reached_at FROM scores WHERE board = $1 AND period = $2
        ORDER BY score ${order}, reached_at ASC, user_id ASC OFFSET $3 LIMIT $4`,
      [board, period, from - 1, toRank - from + 1],
    );
    return rows.map((row, i) => toEntry(row, from + i));
  }

  async count(board: string, period: string): Promise<number> {
    const [row] = await this.sql.query<{ n: string }>("SELECT count(*) AS n FROM scores WHERE board = $1 AND period = $2", [board, period]);
    return Number(row.n);
  }

  async close(): Promise<void> {}
}
