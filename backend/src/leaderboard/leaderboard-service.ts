import { createHash } from "node:crypto";
import { Period, type Board } from "@arena/shared";
import type { ScoreboardMetrics } from "../metrics/scoreboard-metrics.ts";
import type { CommitEvent } from "./score-bus.ts";
import { periodEndMs, periodKey, periodKeys } from "./period-keys.ts";
import type { RankCache, RankedEntry, ScoreRow } from "./rank-cache.ts";
import { boardDirection, compareEntries } from "./rank-order.ts";

/** One row of a leaderboard (docs/api-scores.md). */
export interface LeaderboardEntry {
  rank: number;
  user_id: string;
  username: string;
  score: number;
  last_updated: string;
}

/** The `GET /api/scoreboard` body (docs/api-scores.md). */
export interface LeaderboardSnapshot {
  leaderboard: LeaderboardEntry[];
  last_updated: string;
  total_players: number;
}

/** A snapshot serialised for `GET /api/scoreboard`: the JSON bytes and their strong ETag. */
export interface SnapshotBody {
  /** `JSON.stringify(snapshot)` as UTF-8. */
  body: Buffer;
  /** Strong entity tag of `body` (quoted, as sent in the ETag header). */
  etag: string;
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
  /** The top 10, best first. */
  entries: RankedEntry[];
  total: number;
  lastAt: number;
  snapshot: LeaderboardSnapshot;
  /** A load from the rank cache in progress. */
  loading: Promise<void> | null;
  /** Readers must wait for `loading` (first load, or rows were removed). */
  mustWait: boolean;
  /** Rows that arrived during `loading`, merged when it ends. */
  pending: ScoreRow[];
  loadedAt: number;
}

export const TOP_SIZE = 10;
/** A cached top 10 older than this is reloaded from the rank cache in the background (self-healing). */
const RELOAD_MS = 5_000;

/** A player's place on a board and period with their neighbours (`GET /api/scoreboard/me`). */
export interface LeaderboardAround {
  /** 1-based rank, or null when the player has no score there. */
  rank: number | null;
  /** The player's score, or null when not ranked. */
  score: number | null;
  /** The entries from `rank − around` to `rank + around` (the player included). */
  neighbours: LeaderboardEntry[];
  /** Players ranked on the board and period. */
  total_players: number;
}

/** The leaderboard read service: cached top-10 snapshots fed by committed scores. */
export interface LeaderboardService {
  /** The snapshot of a board and period, as of now. */
  snapshot(board: Board, period: Period): Promise<LeaderboardSnapshot>;
  /** The snapshot of a board and a period key ("all", "d:…", "w:…"). */
  snapshotOf(board: string, period: string): Promise<LeaderboardSnapshot>;
  /** {@link snapshot} serialised once (JSON body and strong ETag), shared by every reader until the board changes. */
  snapshotBody(board: Board, period: Period): Promise<SnapshotBody>;
  /** The caller's rank on a board and period with `around` neighbours each side (default 2). */
  around(board: Board, period: Period, userId: number, around?: number): Promise<LeaderboardAround>;
  /** Applies a commit from any process to the cached snapshots (synchronously, no I/O on the common path). */
  onCommitted(event: CommitEvent): void;
  /** Adds a listener for {@link TopChange}s (the scoreboard hub); listeners run synchronously, in order. */
  subscribeTopChanges(listener: (change: TopChange) => void): void;
}

/**
 * Top-10 snapshots per board and period, kept in memory. A commit (from any process) is merged
 * into the snapshot synchronously — scores only improve, so the new top 10 is the best 10 of the
 * old top 10 and the changed rows, keeping the better entry per player; merging is order-independent,
 * so processes converge whatever order they hear commits in. Reads never wait on Redis except for a
 * first load or after a ban removed rows; snapshots are reloaded every 5 s in the background.
 * Emits a {@link TopChange} to its subscribers when the top 10 really changed.
 */
export function createLeaderboardService(deps: {
  rankCache: RankCache;
  usernames(ids: number[]): Promise<Map<number, string>>;
  now: () => number;
  metrics: ScoreboardMetrics;
}): LeaderboardService {
  const cache = new Map<string, CacheEntry>();
  const topListeners: ((change: TopChange) => void)[] = [];
  const names = new Map<number, string>();
  // Every change to a board replaces its snapshot object (publish), so a body keyed by the object is
  // never stale and needs no invalidation of its own.
  const bodies = new WeakMap<LeaderboardSnapshot, SnapshotBody>();

  const toSnapshot = (entry: Pick<CacheEntry, "entries" | "total" | "lastAt">): LeaderboardSnapshot => ({
    leaderboard: entry.entries.map((e) => ({
      rank: e.rank,
      user_id: String(e.userId),
      username: names.get(e.userId) ?? "",
      score: e.score,
      last_updated: new Date(e.reachedAtMs).toISOString(),
    })),
    last_updated: new Date(entry.lastAt).toISOString(),
    total_players: entry.total,
  });

  async function learnNames(ids: number[]): Promise<void> {
    const missing = ids.filter((id) => !names.has(id));
    if (missing.length > 0) for (const [id, name] of await deps.usernames(missing)) names.set(id, name);
  }

  /** Replaces the entries and tells watchers which positions changed. */
  function publish(board: string, period: string, entry: CacheEntry, next: RankedEntry[], at: number): void {
    const changedRanks: number[] = [];
    for (let i = 0; i < Math.max(next.length, entry.entries.length); i++) {
      const a = entry.entries[i];
      const b = next[i];
      if (!a || !b || a.userId !== b.userId || a.score !== b.score) changedRanks.push(i + 1);
    }
    entry.entries = next;
    entry.snapshot = toSnapshot(entry);
    if (changedRanks.length > 0) {
      const change: TopChange = { board, period, snapshot: entry.snapshot, changedRanks, at };
      for (const listener of topListeners) listener(change);
    }
  }

  function merge(board: string, entries: RankedEntry[], rows: ScoreRow[]): RankedEntry[] {
    const direction = boardDirection(board);
    const best = new Map(entries.map((e) => [e.userId, e]));
    for (const row of rows) {
      const cur = best.get(row.userId);
      if (cur && compareEntries(direction, cur, row) <= 0) continue;
      best.set(row.userId, { userId: row.userId, score: row.score, reachedAtMs: row.reachedAtMs, rank: 0 });
    }
    return [...best.values()]
      .sort((a, b) => compareEntries(direction, a, b))
      .slice(0, TOP_SIZE)
      .map((e, i) => ({ ...e, rank: i + 1 }));
  }

  function load(board: string, period: string, entry: CacheEntry, mustWait: boolean): Promise<void> {
    if (entry.loading) {
      entry.mustWait ||= mustWait;
      return entry.loading;
    }
    entry.mustWait = mustWait;
    entry.loading = (async () => {
      const [ranked, total] = await Promise.all([deps.rankCache.range(board, period, 1, TOP_SIZE), deps.rankCache.count(board, period)]);
      const pending = entry.pending.splice(0);
      const next = merge(board, ranked, pending);
      await learnNames(next.map((e) => e.userId));
      entry.total = total;
      entry.loadedAt = deps.now();
      publish(board, period, entry, next, entry.lastAt);
    })()
      .catch(() => {
        entry.loadedAt = 0; // try again on the next read
      })
      .finally(() => {
        entry.loading = null;
        entry.mustWait = false;
      });
    return entry.loading;
  }

  function newEntry(at: number): CacheEntry {
    const entry: CacheEntry = { entries: [], total: 0, lastAt: at, snapshot: { leaderboard: [], last_updated: new Date(at).toISOString(), total_players: 0 }, loading: null, mustWait: false, pending: [], loadedAt: 0 };
    return entry;
  }

  function evictEnded(nowMs: number): void {
    for (const [key, entry] of cache) {
      if (periodEndMs(key.split("|")[1]) + 86_400_000 < nowMs && !entry.loading) cache.delete(key);
    }
  }

  return {
    /** The snapshot of a board and period, as of now. */
    async snapshot(board: Board, period: Period): Promise<LeaderboardSnapshot> {
      return this.snapshotOf(board, periodKey(period, deps.now()));
    },

    /** {@link snapshot}, serialised once per snapshot and shared by every reader until the board changes. */
    async snapshotBody(board: Board, period: Period): Promise<SnapshotBody> {
      const snapshot = await this.snapshotOf(board, periodKey(period, deps.now()));
      let cached = bodies.get(snapshot);
      if (!cached) {
        const body = Buffer.from(JSON.stringify(snapshot));
        cached = { body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
        bodies.set(snapshot, cached);
      }
      return cached;
    },

    async snapshotOf(board: string, period: string): Promise<LeaderboardSnapshot> {
      const key = `${board}|${period}`;
      const nowMs = deps.now();
      let entry = cache.get(key);
      if (!entry) {
        deps.metrics.cacheLookups.inc({ result: "miss" });
        entry = newEntry(nowMs);
        cache.set(key, entry);
        evictEnded(nowMs);
        await load(board, period, entry, true);
        return entry.snapshot;
      }
      deps.metrics.cacheLookups.inc({ result: "hit" });
      if (entry.loading && (entry.mustWait || entry.pending.length > 0)) await entry.loading;
      else if (nowMs - entry.loadedAt > RELOAD_MS) void load(board, period, entry, false);
      return entry.snapshot;
    },

    /** The caller's rank on a board and period with `around` neighbours each side (null rank: not ranked). */
    async around(board: Board, period: Period, userId: number, around = 2): Promise<LeaderboardAround> {
      const key = periodKey(period, deps.now());
      const [rank] = await deps.rankCache.ranks([{ board, period: key, userId }]);
      if (rank === null) return { rank: null, score: null, neighbours: [] as LeaderboardEntry[], total_players: await deps.rankCache.count(board, key) };
      const [ranked, total] = await Promise.all([deps.rankCache.range(board, key, rank - around, rank + around), deps.rankCache.count(board, key)]);
      await learnNames(ranked.map((e) => e.userId));
      const neighbours = toSnapshot({ entries: ranked, total, lastAt: deps.now() }).leaderboard;
      return { rank, score: ranked.find((e) => e.userId === userId)?.score ?? null, neighbours, total_players: total };
    },

    /** Applies a commit from any process to the cached snapshots (synchronously, no I/O on the common path). */
    onCommitted(event: CommitEvent): void {
      for (const row of event.rows) if (row.username) names.set(row.userId, row.username);
      const byKey = new Map<string, ScoreRow[]>();
      for (const row of event.rows) {
        const key = `${row.board}|${row.period}`;
        const list = byKey.get(key);
        if (list) list.push(row);
        else byKey.set(key, [row]);
      }
      const current = new Set(periodKeys(deps.now()));
      for (const [key, rows] of byKey) {
        const [board, period] = key.split("|");
        let entry = cache.get(key);
        if (!entry) {
          if (!current.has(period)) continue;
          // First commit on a board/period nobody read yet (e.g. a new day): load it so watchers hear it.
          entry = newEntry(event.at);
          cache.set(key, entry);
          entry.lastAt = event.at;
          void load(board, period, entry, true);
          continue;
        }
        entry.lastAt = Math.max(entry.lastAt, event.at);
        if (entry.loading) {
          entry.pending.push(...rows);
          continue;
        }
        entry.total += rows.filter((r) => r.inserted).length;
        publish(board, period, entry, merge(board, entry.entries, rows), event.at);
      }
      for (const removed of event.removed ?? []) {
        const entry = cache.get(`${removed.board}|${removed.period}`);
        if (entry) void load(removed.board, removed.period, entry, true);
      }
    },

    subscribeTopChanges(listener) {
      topListeners.push(listener);
    },
  };
}
