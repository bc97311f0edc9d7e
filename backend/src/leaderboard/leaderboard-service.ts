import { Period, type Board } from "@arena/shared";
import type { ScoreboardMetrics } from "../metrics/scoreboard-metrics.ts";
import type { CommitEvent } from "../scoreboard/score-bus.ts";
import { periodEndMs, periodKey, periodKeys } from "./period-keys.ts";
import type { RankCache, RankedEntry } from "./rank-cache.ts";
import { boardDirection, compareEntries } from "./rank-order.ts";

/** One row of the seed's leaderboard. */
export interface LeaderboardEntry {
  rank: number;
  user_id: string;
  username: string;
  score: number;
  last_updated: string;
}

/** The seed's `GET /api/scoreboard` body. */
export interface LeaderboardSnapshot {
  leaderboard: LeaderboardEntry[];
  last_updated: string;
  total_players: number;
}

/** A top-10 change, for LEADERBOARD_UPDATE. */
export interface TopChange {
  board: string;
  /** Period key ("all", "d:…", "w:…"). */
  period: string;
  snapshot: LeaderboardSnapshot;
  /** 1-based positions whose holder or score changed, ascending. */
  changedRanks: number[];
  /** Commit time, epoch ms. */
  at: number;
}

interface CacheEntry {
  entries: RankedEntry[];
  snapshot: LeaderboardSnapshot;
  dirty: boolean;
  refreshing: Promise<void> | null;
  lastAt: number;
}

export const TOP_SIZE = 10;

/**
 * Top-10 snapshots per board and period, served from memory and refreshed only when a commit
 * (from any process) could change them; emits a {@link TopChange} when the top 10 really changed.
 */
export function createLeaderboardService(deps: {
  rankCache: RankCache;
  usernames(ids: number[]): Promise<Map<number, string>>;
  now: () => number;
  metrics: ScoreboardMetrics;
  onTopChange(change: TopChange): void;
}) {
  const cache = new Map<string, CacheEntry>();
  const names = new Map<number, string>();

  async function toEntries(ranked: RankedEntry[]): Promise<LeaderboardEntry[]> {
    const missing = ranked.map((e) => e.userId).filter((id) => !names.has(id));
    if (missing.length > 0) for (const [id, name] of await deps.usernames(missing)) names.set(id, name);
    return ranked.map((e) => ({
      rank: e.rank,
      user_id: String(e.userId),
      username: names.get(e.userId) ?? "",
      score: e.score,
      last_updated: new Date(e.reachedAtMs).toISOString(),
    }));
  }

  async function load(board: string, period: string, at: number): Promise<{ entries: RankedEntry[]; snapshot: LeaderboardSnapshot }> {
    const [entries, total] = await Promise.all([deps.rankCache.range(board, period, 1, TOP_SIZE), deps.rankCache.count(board, period)]);
    return { entries, snapshot: { leaderboard: await toEntries(entries), last_updated: new Date(at).toISOString(), total_players: total } };
  }

  async function refresh(key: string, board: string, period: string, entry: CacheEntry): Promise<void> {
    while (entry.dirty) {
      entry.dirty = false;
      const at = entry.lastAt;
      const next = await load(board, period, at);
      const changedRanks: number[] = [];
      for (let i = 0; i < Math.max(next.entries.length, entry.entries.length); i++) {
        const a = entry.entries[i];
        const b = next.entries[i];
        if (!a || !b || a.userId !== b.userId || a.score !== b.score) changedRanks.push(i + 1);
      }
      entry.entries = next.entries;
      entry.snapshot = next.snapshot;
      if (changedRanks.length > 0) deps.onTopChange({ board, period, snapshot: next.snapshot, changedRanks, at });
    }
  }

  function evictEnded(nowMs: number): void {
    for (const [key, entry] of cache) {
      if (periodEndMs(key.split("|")[1]) + 86_400_000 < nowMs && !entry.refreshing) cache.delete(key);
    }
  }

  return {
    /** The seed's snapshot for a board and period, as of now. */
    async snapshot(board: Board, period: Period): Promise<LeaderboardSnapshot> {
      return this.snapshotOf(board, periodKey(period, deps.now()));
    },

    async snapshotOf(board: string, period: string): Promise<LeaderboardSnapshot> {
      const key = `${board}|${period}`;
      const hit = cache.get(key);
      if (hit) {
        deps.metrics.cacheLookups.inc({ result: "hit" });
        if (hit.refreshing) await hit.refreshing;
        return hit.snapshot;
      }
      deps.metrics.cacheLookups.inc({ result: "miss" });
      const at = deps.now();
      const loaded = await load(board, period, at);
      const entry: CacheEntry = cache.get(key) ?? { ...loaded, dirty: false, refreshing: null, lastAt: at };
      cache.set(key, entry);
      evictEnded(at);
      return entry.snapshot;
    },

    /** The caller's rank on a board and period with `around` neighbours each side (null rank: not ranked). */
    async around(board: Board, period: Period, userId: number, around = 2) {
      const key = periodKey(period, deps.now());
      const [rank] = await deps.rankCache.ranks([{ board, period: key, userId }]);
      if (rank === null) return { rank: null, score: null, neighbours: [] as LeaderboardEntry[], total_players: await deps.rankCache.count(board, key) };
      const [ranked, total] = await Promise.all([deps.rankCache.range(board, key, rank - around, rank + around), deps.rankCache.count(board, key)]);
      const neighbours = await toEntries(ranked);
      return { rank, score: ranked.find((e) => e.userId === userId)?.score ?? null, neighbours, total_players: total };
    },

    /** Applies a commit from any process: cheap bookkeeping, and a refresh when the top 10 may change. */
    onCommitted(event: CommitEvent): void {
      for (const removed of event.removed ?? []) {
        const entry = cache.get(`${removed.board}|${removed.period}`);
        if (entry) entry.dirty = true;
      }
      const current = new Set(periodKeys(deps.now()));
      for (const row of event.rows) {
        const key = `${row.board}|${row.period}`;
        let entry = cache.get(key);
        if (!entry) {
          if (!current.has(row.period)) continue;
          // First commit on a board/period nobody read yet (e.g. a new day): start from empty so watchers hear it.
          entry = { entries: [], snapshot: { leaderboard: [], last_updated: new Date(event.at).toISOString(), total_players: 0 }, dirty: true, refreshing: null, lastAt: event.at };
          cache.set(key, entry);
          continue;
        }
        if (row.inserted) entry.snapshot = { ...entry.snapshot, total_players: entry.snapshot.total_players + 1 };
        entry.snapshot = { ...entry.snapshot, last_updated: new Date(event.at).toISOString() };
        entry.lastAt = Math.max(entry.lastAt, event.at);
        const last = entry.entries[entry.entries.length - 1];
        const inTop = entry.entries.some((e) => e.userId === row.userId);
        if (inTop || entry.entries.length < TOP_SIZE || compareEntries(boardDirection(row.board), row, last) < 0) entry.dirty = true;
      }
      for (const [key, entry] of cache) {
        if (!entry.dirty || entry.refreshing) continue;
        const [board, period] = key.split("|");
        entry.refreshing = refresh(key, board, period, entry).finally(() => (entry.refreshing = null));
        entry.refreshing.catch(() => (entry.dirty = true));
      }
    },
  };
}

export type LeaderboardService = ReturnType<typeof createLeaderboardService>;
