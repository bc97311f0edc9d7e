import type { ScoreEntry } from "./rank-order.ts";

/** A committed score row: one player's standing on one board and period key. */
export interface ScoreRow extends ScoreEntry {
  board: string;
  /** Period key from {@link periodKey}: "all", "d:YYYY-MM-DD", "w:YYYY-Www". */
  period: string;
  /** True when this commit created the row (a new player on that board and period). */
  inserted?: boolean;
  /** The player's username, when the commit knows it (so snapshots need no lookup). */
  username?: string;
}

/** A ranked entry (rank 1 is the best). */
export interface RankedEntry extends ScoreEntry {
  rank: number;
}

/** Which player's rank to look up. */
export interface RankQuery {
  board: string;
  period: string;
  userId: number;
}

/**
 * Ranks and top-N over committed scores. The database is the source of truth; an
 * implementation may keep a faster copy (Redis sorted sets) that it rebuilds from the
 * database when missing or stale. Ordering is {@link compareEntries}.
 */
export interface RankCache {
  /** Tells the cache about rows just committed (a no-op for the database implementation). */
  apply(rows: ScoreRow[]): Promise<void>;
  /** {@link apply} then {@link ranks}, in one round trip where the store allows it (the hot path). */
  applyAndRank(rows: ScoreRow[], queries: RankQuery[]): Promise<(number | null)[]>;
  /** Forgets a player on every board (after a ban deleted their rows). */
  removeUser(userId: number, boards: { board: string; period: string }[]): Promise<void>;
  /** 1-based ranks, null for a player with no row on that board and period. */
  ranks(queries: RankQuery[]): Promise<(number | null)[]>;
  /** Entries ranked `fromRank`..`toRank` inclusive (1-based). */
  range(board: string, period: string, fromRank: number, toRank: number): Promise<RankedEntry[]>;
  /** Number of players on a board and period. */
  count(board: string, period: string): Promise<number>;
  /** Releases connections it owns. */
  close(): Promise<void>;
}
