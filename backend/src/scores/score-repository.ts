import type { Database } from "@arena/db";
import type { ErrorCode } from "@arena/shared";
import { periodKeys } from "../leaderboard/period-keys.ts";
import type { ScoreRow } from "../leaderboard/rank-cache.ts";
import { boardDirection } from "../leaderboard/rank-order.ts";

/** One accepted-for-commit score action (already authenticated, rate-limited and bounds-checked). */
export interface ScoreCommand {
  /** Idempotency key (client action_id, or the game session id for game results). */
  actionId: string;
  userId: number;
  actionType: string;
  board: string;
  /** Points to add, or for ascending boards (steps) the candidate best time in ms. */
  points: number;
}

/** What became of one command in a batch. */
export type CommitOutcome =
  | { kind: "committed" | "replay"; userId: number; board: string; newScore: number }
  | { kind: "rejected"; code: ErrorCode; message: string };

export interface BatchResult {
  /** One outcome per command, in order. */
  outcomes: CommitOutcome[];
  /** Every score row the batch changed (all periods), with its new value. */
  rows: ScoreRow[];
}

/** One row of {@link COMMIT_SQL}'s answer; `k` says which part it comes from. */
interface BatchRow {
  /** p: an earlier commit of the action_id; u: a user, its status (in `board`) and username (in `action_id`); h: a new history row; s: a changed score row. */
  k: "p" | "u" | "h" | "s";
  action_id: string | null;
  user_id: number | null;
  board: string | null;
  v: string | null;
  period: string | null;
  reached_at: Date | string | null;
  inserted: boolean | null;
}

/**
 * The whole group commit as ONE statement (one round trip, one implicit transaction): earlier
 * commits of the action ids (replays), the users and their status, the first occurrence of each
 * fresh action id, totals per (board, period, user) upserted in key order (so concurrent batches
 * lock rows in the same order), and the history rows carrying the all-time total right after
 * each action (later same-batch points of that user subtracted).
 */
const COMMIT_SQL = `
WITH cmd AS (
  SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::text[], $5::text[], $6::int[])
    AS c(ord, action_id, user_id, action_type, board, points)
),
prev AS (SELECT h.action_id, h.user_id, h.board, h.new_score FROM score_history h WHERE h.action_id = ANY($2::text[])),
usr AS (SELECT u.id, u.status, u.username FROM users u WHERE u.id = ANY($3::int[])),
fresh AS (
  SELECT DISTINCT ON (c.action_id) c.* FROM cmd c
    JOIN usr u ON u.id = c.user_id AND u.status = 'active'
   WHERE NOT EXISTS (SELECT 1 FROM prev p WHERE p.action_id = c.action_id)
   ORDER BY c.action_id, c.ord
),
agg AS (
  SELECT f.board, p.period, f.user_id,
         CASE WHEN f.board = ANY($7::text[]) THEN min(f.points)::bigint ELSE sum(f.points) END AS v
    FROM fresh f CROSS JOIN unnest($8::text[]) AS p(period)
   GROUP BY f.board, p.period, f.user_id
),
up AS (
  INSERT INTO scores AS s (board, period, user_id, score, reached_at, updated_at)
  SELECT board, period, user_id, v, $9, $9 FROM agg ORDER BY board, period, user_id
  ON CONFLICT (board, period, user_id) DO UPDATE SET
    score = CASE WHEN s.board = ANY($7::text[]) THEN LEAST(s.score, excluded.score) ELSE s.score + excluded.score END,
    reached_at = CASE WHEN (s.board = ANY($7::text[]) AND excluded.score < s.score)
                        OR (NOT s.board = ANY($7::text[]) AND excluded.score <> 0)
                      THEN excluded.reached_at ELSE s.reached_at END,
    updated_at = excluded.updated_at
  RETURNING s.board, s.period, s.user_id, s.score, s.reached_at, (s.xmax = 0) AS inserted
),
hist AS (
  INSERT INTO score_history (user_id, action_id, action_type, board, points, new_score, created_at)
  SELECT f.user_id, f.action_id, f.action_type, f.board, f.points,
         CASE WHEN f.board = ANY($7::text[]) THEN u.score
              ELSE u.score - coalesce(sum(f.points) OVER (PARTITION BY f.board, f.user_id ORDER BY f.ord
                                                          ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), 0) END,
         $9
    FROM fresh f JOIN up u ON u.board = f.board AND u.user_id = f.user_id AND u.period = 'all'
  RETURNING action_id, new_score
)
SELECT 'p' AS k, action_id, user_id, board, new_score::text AS v, NULL::text AS period, NULL::timestamptz AS reached_at, NULL::boolean AS inserted FROM prev
UNION ALL SELECT 'u', username, id, status, NULL, NULL, NULL, NULL FROM usr
UNION ALL SELECT 'h', action_id, NULL, NULL, new_score::text, NULL, NULL, NULL FROM hist
UNION ALL SELECT 's', NULL, user_id, board, score::text, period, reached_at, inserted FROM up`;

interface HistoryRow {
  action_id: string;
  user_id: number;
  board: string;
  new_score: string;
}

const ASCENDING_BOARDS = ["steps"].filter((b) => boardDirection(b) === "asc");
const RETRYABLE = new Set(["23505", "40P01", "40001"]);
const INT4_MAX = 2_147_483_647;
/** users.id and score_history.points are PostgreSQL `integer`. */
const fitsColumns = (c: ScoreCommand) =>
  Number.isInteger(c.userId) && c.userId >= 1 && c.userId <= INT4_MAX && Number.isInteger(c.points) && Math.abs(c.points) <= INT4_MAX;
const outOfRange: CommitOutcome = { kind: "rejected", code: "VALIDATION_FAILED", message: "user id or points out of range." };

/**
 * Commits a batch of score commands in ONE statement (group commit, see {@link COMMIT_SQL}):
 * history rows and totals commit atomically. A concurrent commit of the same action_id on
 * another process fails the statement on the unique index; it is retried, and the second pass
 * sees the action as a replay.
 */
export function createScoreRepository(db: Database) {
  async function commitBatch(commands: ScoreCommand[], nowMs: number): Promise<BatchResult> {
    // A value the statement cannot cast (an id beyond integer) would fail the batch for everyone in it.
    const outcomes: (CommitOutcome | undefined)[] = commands.map((c) => (fitsColumns(c) ? undefined : outOfRange));
    const valid = commands.filter((_, i) => !outcomes[i]);
    const result = valid.length > 0 ? await commitIsolating(valid, nowMs) : { outcomes: [], rows: [] };
    let j = 0;
    return { outcomes: outcomes.map((o) => o ?? result.outcomes[j++]), rows: result.rows };
  }

  /**
   * Commits; if the statement fails on a data error (SQLSTATE class 22: a value that does not fit
   * a column), commits the halves separately so only the offending command is refused.
   */
  async function commitIsolating(commands: ScoreCommand[], nowMs: number): Promise<BatchResult> {
    try {
      return await commitRetrying(commands, nowMs);
    } catch (err) {
      if (!String((err as { code?: unknown }).code ?? "").startsWith("22")) throw err;
      if (commands.length === 1) return { outcomes: [{ kind: "rejected", code: "VALIDATION_FAILED", message: "The action does not fit the score tables." }], rows: [] };
      const mid = commands.length >> 1;
      const a = await commitIsolating(commands.slice(0, mid), nowMs);
      const b = await commitIsolating(commands.slice(mid), nowMs);
      return { outcomes: [...a.outcomes, ...b.outcomes], rows: [...a.rows, ...b.rows] };
    }
  }

  async function commitRetrying(commands: ScoreCommand[], nowMs: number): Promise<BatchResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await commitOnce(commands, nowMs);
      } catch (err) {
        if (attempt >= 4 || !RETRYABLE.has((err as { code?: string }).code ?? "")) throw err;
      }
    }
  }

  async function commitOnce(commands: ScoreCommand[], nowMs: number): Promise<BatchResult> {
    const result = await db.sql.query<BatchRow>(COMMIT_SQL, [
      commands.map((_, i) => i),
      commands.map((c) => c.actionId),
      commands.map((c) => c.userId),
      commands.map((c) => c.actionType),
      commands.map((c) => c.board),
      commands.map((c) => c.points),
      ASCENDING_BOARDS,
      periodKeys(nowMs),
      new Date(nowMs),
    ]);
    const previous = new Map<string, BatchRow>();
    const status = new Map<number, string>();
    const committed = new Map<string, number>();
    const rows: ScoreRow[] = [];
    const usernames = new Map<number, string>();
    for (const r of result) {
      if (r.k === "p") previous.set(r.action_id!, r);
      else if (r.k === "u") {
        status.set(Number(r.user_id), r.board!);
        usernames.set(Number(r.user_id), r.action_id!);
      }
      else if (r.k === "h") committed.set(r.action_id!, Number(r.v));
      else rows.push({ board: r.board!, period: r.period!, userId: Number(r.user_id), score: Number(r.v), reachedAtMs: new Date(r.reached_at!).getTime(), inserted: r.inserted! });
    }
    for (const row of rows) row.username = usernames.get(row.userId);
    const outcomes: CommitOutcome[] = [];
    // The first occurrence of each fresh action id among commands of ACTIVE users, as `fresh` in
    // COMMIT_SQL picks it: a banned or unknown user's command never claims an action id (in a batch
    // or across batches), so a later active user's command with that id is the one committed.
    const first = new Map<string, { userId: number; outcome: CommitOutcome }>();
    for (const cmd of commands) {
      const old = previous.get(cmd.actionId);
      let outcome: CommitOutcome;
      if (old) {
        outcome =
          Number(old.user_id) === cmd.userId
            ? { kind: "replay", userId: cmd.userId, board: old.board!, newScore: Number(old.v) }
            : { kind: "rejected", code: "INVALID_ACTION", message: "That action_id was already used." };
      } else if (!status.has(cmd.userId)) {
        outcome = { kind: "rejected", code: "VALIDATION_FAILED", message: "Unknown user." };
      } else if (status.get(cmd.userId) !== "active") {
        outcome = { kind: "rejected", code: "ACCOUNT_BANNED", message: "This account is banned." };
      } else if (first.has(cmd.actionId)) {
        const { userId, outcome: o } = first.get(cmd.actionId)!;
        if (userId !== cmd.userId) outcome = { kind: "rejected", code: "INVALID_ACTION", message: "That action_id was already used." };
        else if (o.kind === "rejected") outcome = o;
        else outcome = { ...o, kind: "replay" };
      } else {
        outcome = committed.has(cmd.actionId)
          ? { kind: "committed", userId: cmd.userId, board: cmd.board, newScore: committed.get(cmd.actionId)! }
          : { kind: "rejected", code: "INTERNAL", message: "The action was not recorded." };
        first.set(cmd.actionId, { userId: cmd.userId, outcome });
      }
      outcomes.push(outcome);
    }
    return { outcomes, rows };
  }

  /** The stored outcome of an action id, if it was ever committed. */
  async function findAction(actionId: string): Promise<HistoryRow | null> {
    const [row] = await db.sql.query<HistoryRow>("SELECT action_id, user_id, board, new_score FROM score_history WHERE action_id = $1", [actionId]);
    return row ?? null;
  }

  /** Removes a banned user's standings from every board (history is kept as evidence). */
  async function deleteUserScores(userId: number): Promise<{ board: string; period: string }[]> {
    return db.sql.query<{ board: string; period: string }>("DELETE FROM scores WHERE user_id = $1 RETURNING board, period", [userId]);
  }

  /** Usernames by id. */
  async function usernames(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db.sql.query<{ id: number; username: string }>("SELECT id, username FROM users WHERE id = ANY($1::int[])", [ids]);
    return new Map(rows.map((r) => [Number(r.id), r.username]));
  }

  return { commitBatch, findAction, deleteUserScores, usernames };
}

export type ScoreRepository = ReturnType<typeof createScoreRepository>;
