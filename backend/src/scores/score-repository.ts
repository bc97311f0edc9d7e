import type { Database, SqlRunner } from "@arena/db";
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

interface HistoryRow {
  action_id: string;
  user_id: number;
  board: string;
  new_score: string;
}

const ASCENDING_BOARDS = ["steps"].filter((b) => boardDirection(b) === "asc");
const RETRYABLE = new Set(["23505", "40P01", "40001"]);

/**
 * Commits a batch of score commands in ONE transaction with set-based SQL (group commit):
 * replays and in-batch duplicates are resolved first, then one upsert per (board, period, user)
 * and one multi-row history insert. History rows and totals commit atomically. A concurrent
 * commit of the same action_id on another process aborts the transaction; it is retried and the
 * second pass sees the action as a replay.
 */
export function createScoreRepository(db: Database) {
  async function commitBatch(commands: ScoreCommand[], nowMs: number): Promise<BatchResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.sql.transaction((tx) => commitOnce(tx, commands, nowMs));
      } catch (err) {
        if (attempt >= 4 || !RETRYABLE.has((err as { code?: string }).code ?? "")) throw err;
      }
    }
  }

  async function commitOnce(tx: SqlRunner, commands: ScoreCommand[], nowMs: number): Promise<BatchResult> {
    const outcomes: (CommitOutcome | undefined)[] = commands.map(() => undefined);
    const userIds = [...new Set(commands.map((c) => c.userId))];
    const users = await tx.query<{ id: number; status: string }>("SELECT id, status FROM users WHERE id = ANY($1::int[])", [userIds]);
    const status = new Map(users.map((u) => [Number(u.id), u.status]));
    const previous = await tx.query<HistoryRow>(
      "SELECT action_id, user_id, board, new_score FROM score_history WHERE action_id = ANY($1::text[])",
      [commands.map((c) => c.actionId)],
    );
    const seen = new Map(previous.map((h) => [h.action_id, h]));
    const firstInBatch = new Map<string, number>();
    const fresh: number[] = [];

    commands.forEach((cmd, i) => {
      const old = seen.get(cmd.actionId);
      if (old) {
        outcomes[i] =
          Number(old.user_id) === cmd.userId
            ? { kind: "replay", userId: cmd.userId, board: old.board, newScore: Number(old.new_score) }
            : { kind: "rejected", code: "INVALID_ACTION", message: "That action_id was already used." };
      } else if (!status.has(cmd.userId)) {
        outcomes[i] = { kind: "rejected", code: "VALIDATION_FAILED", message: "Unknown user." };
      } else if (status.get(cmd.userId) !== "active") {
        outcomes[i] = { kind: "rejected", code: "ACCOUNT_BANNED", message: "This account is banned." };
      } else if (firstInBatch.has(cmd.actionId)) {
        // resolved below, as a replay of the first occurrence
      } else {
        firstInBatch.set(cmd.actionId, i);
        fresh.push(i);
      }
    });

    let rows: ScoreRow[] = [];
    if (fresh.length > 0) {
      rows = await upsertTotals(tx, fresh.map((i) => commands[i]), nowMs);
      const allTime = new Map(rows.filter((r) => r.period === "all").map((r) => [`${r.board}|${r.userId}`, r.score]));
      // Additive boards: walk backwards so each action sees the total right after it.
      const running = new Map<string, number>();
      for (let k = fresh.length - 1; k >= 0; k--) {
        const cmd = commands[fresh[k]];
        const key = `${cmd.board}|${cmd.userId}`;
        const after = running.get(key) ?? allTime.get(key)!;
        outcomes[fresh[k]] = { kind: "committed", userId: cmd.userId, board: cmd.board, newScore: after };
        running.set(key, boardDirection(cmd.board) === "asc" ? after : after - cmd.points);
      }
      const ins = fresh.map((i) => commands[i]);
      await tx.query(
        `INSERT INTO score_history (user_id, action_id, action_type, board, points, new_score, created_at)
         SELECT u, a, t, b, p, n, $7 FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[]) AS v(u, a, t, b, p, n)`,
        [
          ins.map((c) => c.userId),
          ins.map((c) => c.actionId),
          ins.map((c) => c.actionType),
          ins.map((c) => c.board),
          ins.map((c) => c.points),
          fresh.map((i) => (outcomes[i] as { newScore: number }).newScore),
          new Date(nowMs),
        ],
      );
    }
    commands.forEach((cmd, i) => {
      if (outcomes[i]) return;
      const first = outcomes[firstInBatch.get(cmd.actionId)!]!;
      outcomes[i] = first.kind === "rejected" ? first : { ...first, kind: "replay" };
    });
    return { outcomes: outcomes as CommitOutcome[], rows };
  }

  async function upsertTotals(tx: SqlRunner, commands: ScoreCommand[], nowMs: number): Promise<ScoreRow[]> {
    const totals = new Map<string, { board: string; period: string; userId: number; value: number }>();
    const periods = periodKeys(nowMs);
    for (const cmd of commands) {
      const ascending = boardDirection(cmd.board) === "asc";
      for (const period of periods) {
        const key = `${cmd.board}|${period}|${cmd.userId}`;
        const cur = totals.get(key);
        if (!cur) totals.set(key, { board: cmd.board, period, userId: cmd.userId, value: cmd.points });
        else cur.value = ascending ? Math.min(cur.value, cmd.points) : cur.value + cmd.points;
      }
    }
    const list = [...totals.values()];
    const rows = await tx.query<{ board: string; period: string; user_id: number; score: string; reached_at: Date | string; inserted: boolean }>(
      `INSERT INTO scores AS s (board, period, user_id, score, reached_at, updated_at)
       SELECT b, p, u, v, $5, $5 FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[]) AS x(b, p, u, v) ORDER BY b, p, u
       ON CONFLICT (board, period, user_id) DO UPDATE SET
         score = CASE WHEN s.board = ANY($6::text[]) THEN LEAST(s.score, excluded.score) ELSE s.score + excluded.score END,
         reached_at = CASE WHEN (s.board = ANY($6::text[]) AND excluded.score < s.score)
                             OR (NOT s.board = ANY($6::text[]) AND excluded.score <> 0)
                           THEN excluded.reached_at ELSE s.reached_at END,
         updated_at = excluded.updated_at
       RETURNING board, period, user_id, score, reached_at, (xmax = 0) AS inserted`,
      [list.map((t) => t.board), list.map((t) => t.period), list.map((t) => t.userId), list.map((t) => t.value), new Date(nowMs), ASCENDING_BOARDS],
    );
    return rows.map((r) => ({
      board: r.board,
      period: r.period,
      userId: Number(r.user_id),
      score: Number(r.score),
      reachedAtMs: new Date(r.reached_at).getTime(),
      inserted: r.inserted,
    }));
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
