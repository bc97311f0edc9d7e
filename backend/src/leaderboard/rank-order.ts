import { Board } from "@arena/shared";

/**
 * How a board orders its players. Every board ranks by (score, reached_at, user_id):
 * the better score first (higher, or lower for `steps`, whose score is a time in ms); on a
 * tie, whoever reached that score FIRST; on a tie to the millisecond (two updates committed
 * in the same batch), the lower user id. The database and the Redis cache use this same order.
 */
export type ScoreDirection = "desc" | "asc";

export function boardDirection(board: string): ScoreDirection {
  return board === Board.Steps ? "asc" : "desc";
}

/** Largest score a board may hold: sorted-set scores are doubles, exact only up to 2^53. */
export const MAX_EXACT_SCORE = Number.MAX_SAFE_INTEGER;
/** reached_at bound of the tie encoding: 13 decimal digits of epoch ms (until year 2286). */
export const MAX_REACHED_AT_MS = 9_999_999_999_999;
/** user id bound of the tie encoding: PostgreSQL `integer`. */
export const MAX_USER_ID = 2_147_483_647;

/** One player's standing on a board and period. */
export interface ScoreEntry {
  userId: number;
  score: number;
  /** Epoch ms when the current score was reached. */
  reachedAtMs: number;
}

/** Negative when `a` ranks above `b`. */
export function compareEntries(direction: ScoreDirection, a: ScoreEntry, b: ScoreEntry): number {
  if (a.score !== b.score) return direction === "desc" ? b.score - a.score : a.score - b.score;
  if (a.reachedAtMs !== b.reachedAtMs) return a.reachedAtMs - b.reachedAtMs;
  return a.userId - b.userId;
}

/**
 * Redis tie encoding. The sorted-set score is the board score itself (negated for ascending
 * boards), kept exact by refusing scores above 2^53. The tie-breakers live in the member, because
 * Redis orders equal scores by member bytes and ZREVRANGE reverses that order:
 *
 *   member = pad13(MAX_REACHED_AT_MS - reachedAtMs) ":" pad10(MAX_USER_ID - userId)
 *
 * Both parts are inverted and fixed-width, so the lexicographically LARGEST member (listed first by
 * ZREVRANGE) is the earliest reached_at, then the lowest user id. Nothing is packed into the double.
 */
export function encodeMember(entry: Pick<ScoreEntry, "userId" | "reachedAtMs">): string {
  if (!(entry.reachedAtMs >= 0 && entry.reachedAtMs <= MAX_REACHED_AT_MS)) throw new RangeError("reachedAtMs out of range");
  if (!(Number.isInteger(entry.userId) && entry.userId > 0 && entry.userId <= MAX_USER_ID)) throw new RangeError("userId out of range");
  const t = String(MAX_REACHED_AT_MS - entry.reachedAtMs).padStart(13, "0");
  const u = String(MAX_USER_ID - entry.userId).padStart(10, "0");
  return `${t}:${u}`;
}

export function decodeMember(member: string): { userId: number; reachedAtMs: number } {
  const [t, u] = member.split(":");
  return { reachedAtMs: MAX_REACHED_AT_MS - Number(t), userId: MAX_USER_ID - Number(u) };
}

/** The sorted-set score for a board score: higher is better in Redis. */
export function encodeScore(direction: ScoreDirection, score: number): number {
  if (!Number.isSafeInteger(score) || Math.abs(score) > MAX_EXACT_SCORE) throw new RangeError("score exceeds 2^53");
  return direction === "desc" ? score : -score;
}

export function decodeScore(direction: ScoreDirection, zscore: number): number {
  return direction === "desc" ? zscore : -zscore;
}
