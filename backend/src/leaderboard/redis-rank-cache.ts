import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { rankCacheKeys, type RankCacheKeys } from "@arena/shared/contracts/redis-keys";
import { DbRankCache } from "./db-rank-cache.ts";
import { periodEndMs } from "./period-keys.ts";
import type { RankCache, RankedEntry, RankQuery, ScoreRow } from "./rank-cache.ts";
import { boardDirection, decodeMember, decodeScore, encodeMember, encodeScore } from "./rank-order.ts";

/** Keeps the better of the current and the offered entry in one zset + members hash. */
const PUT = `
local function put(z, h, uid, s, mem, ttl)
  local old = redis.call('HGET', h, uid)
  if old then
    local os = tonumber(redis.call('ZSCORE', z, old))
    if os and (os > s or (os == s and old >= mem)) then return end
    redis.call('ZREM', z, old)
  end
  redis.call('ZADD', z, s, mem)
  redis.call('HSET', h, uid, mem)
  if ttl ~= '0' then redis.call('PEXPIRE', z, ttl); redis.call('PEXPIRE', h, ttl) end
end`;

/**
 * KEYS zset, members[, lock, tmp zset, tmp members]; ARGV userId, zscore, member, ttl ms. With the
 * rebuild keys, a rebuild in progress (lock held) gets the entry too, so it survives the RENAME.
 */
const APPLY = `${PUT}
put(KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4])
if #KEYS > 2 and redis.call('EXISTS', KEYS[3]) == 1 then put(KEYS[4], KEYS[5], ARGV[1], tonumber(ARGV[2]), ARGV[3], '0') end
return 1`;

const RANK = `
if redis.call('EXISTS', KEYS[3]) == 0 then return -2 end
local m = redis.call('HGET', KEYS[2], ARGV[1])
if not m then return -1 end
local r = redis.call('ZREVRANK', KEYS[1], m)
if not r then return -1 end
return r`;

/** KEYS zset, members, lock, dirty. A rebuild in progress may have read the removed rows: mark it dirty (it will not publish). */
const REMOVE = `
local m = redis.call('HGET', KEYS[2], ARGV[1])
if m then redis.call('ZREM', KEYS[1], m); redis.call('HDEL', KEYS[2], ARGV[1]) end
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('SET', KEYS[4], '1', 'PX', 120000) end
return 1`;

/** KEYS lock, tmp zset, tmp members, dirty; ARGV token, lock ms. Takes the rebuild lock and starts from empty temporaries. */
const BEGIN = `
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 0 end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
return 1`;

/**
 * KEYS zset, members, marker, lock, tmp zset, tmp members, dirty; ARGV token, marker ttl s,
 * ttl ms (0 = none), now ms. Publishes the rebuilt set atomically (RENAME over the live
 * keys, marker set) unless the lock was lost or a removal made it dirty; 1 when published.
 */
const FINISH = `
if redis.call('GET', KEYS[4]) ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[7]) == 1 then redis.call('DEL', KEYS[4], KEYS[5], KEYS[6], KEYS[7]); return 0 end
if redis.call('EXISTS', KEYS[5]) == 1 then redis.call('RENAME', KEYS[5], KEYS[1]) else redis.call('DEL', KEYS[1]) end
if redis.call('EXISTS', KEYS[6]) == 1 then redis.call('RENAME', KEYS[6], KEYS[2]) else redis.call('DEL', KEYS[2]) end
if ARGV[3] ~= '0' then redis.call('PEXPIRE', KEYS[1], ARGV[3]); redis.call('PEXPIRE', KEYS[2], ARGV[3])
else redis.call('PERSIST', KEYS[1]); redis.call('PERSIST', KEYS[2]) end
redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[2])
redis.call('DEL', KEYS[4])
return 1`;

/** KEYS lock, tmp zset, tmp members; ARGV token, ms (0 = release and drop the temporaries). Only the lock's holder. */
const TOUCH = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3]) else
  redis.call('PEXPIRE', KEYS[1], ARGV[2]); redis.call('PEXPIRE', KEYS[2], ARGV[2] * 4); redis.call('PEXPIRE', KEYS[3], ARGV[2] * 4) end
return 1`;

/**
 * A whole group commit in one call: ARGV[1] = n rows, ARGV[2] = m rank queries. Row i uses five
 * keys (zset, members, lock, tmp zset, tmp members) and ARGV userId, zscore, member, ttl ms (as
 * APPLY); query j uses the next three keys (zset, members, marker) and one ARGV userId (as RANK).
 */
const APPLY_AND_RANK = `${PUT}
local n, m = tonumber(ARGV[1]), tonumber(ARGV[2])
local k, a = 1, 3
for i = 1, n do
  local uid, s, mem = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2]
  put(KEYS[k], KEYS[k + 1], uid, s, mem, ARGV[a + 3])
  if redis.call('EXISTS', KEYS[k + 2]) == 1 then put(KEYS[k + 3], KEYS[k + 4], uid, s, mem, '0') end
  k, a = k + 5, a + 4
end
local out = {}
for j = 1, m do
  local z, h, marker = KEYS[k], KEYS[k + 1], KEYS[k + 2]
  local r = -1
  if redis.call('EXISTS', marker) == 0 then r = -2 else
    local mem = redis.call('HGET', h, ARGV[a])
    if mem then r = redis.call('ZREVRANK', z, mem) or -1 end
  end
  out[j] = r
  k, a = k + 3, a + 1
end
return out`;

const MISSING = -2;
/** A rebuild holds its lock this long past its last chunk (temporaries live four times as long). */
const LOCK_MS = 30_000;

/**
 * Daily/weekly keys expire a day after their period ends; "all" never (0). The time left is
 * computed on the app's clock and handed to Redis as a duration (PEXPIRE), so the Redis host's
 * clock never has to agree with the app's.
 */
function ttlMsOf(period: string, nowMs: number): number {
  const end = periodEndMs(period);
  return Number.isFinite(end) ? Math.max(1, end + 86_400_000 - nowMs) : 0;
}

interface ScriptedRedis {
  lbApply(numKeys: number, ...args: (string | number)[]): Promise<number>;
  lbRank(z: string, h: string, marker: string, userId: number): Promise<number>;
  lbRemove(z: string, h: string, lock: string, dirty: string, userId: number): Promise<number>;
  lbApplyAndRank(numKeys: number, ...args: (string | number)[]): Promise<number[]>;
  lbBegin(lock: string, tz: string, th: string, dirty: string, token: string, lockMs: number): Promise<number>;
  lbFinish(z: string, h: string, marker: string, lock: string, tz: string, th: string, dirty: string, token: string, ttl: number, ttlMs: number, now: number): Promise<number>;
  lbTouch(lock: string, tz: string, th: string, token: string, ms: number): Promise<number>;
}

export interface RedisRankCacheOptions {
  /** Connection used for commands (not owned: the caller closes it). */
  redis: Redis;
  /** Source of truth for rebuilds and for answers while a rebuild runs. */
  db: DbRankCache;
  /** Key prefix, e.g. "arena:". */
  prefix: string;
  /** A board's cache is rebuilt from the database when older than this. */
  ttlSeconds: number;
  /** The app's clock in epoch ms (default Date.now): decides when a period's keys expire. */
  now?: () => number;
}

/**
 * {@link RankCache} over Redis sorted sets (see {@link encodeMember} for the exact tie encoding).
 * Per board and period (keys: shared/src/contracts/redis-keys.ts `rankCacheKeys`):
 * `lb:<board>:<period>` (zset), `lbm:…` (user id → member) and `lbr:…`, a marker saying the set
 * is complete. A missing or expired marker means missing or stale: the
 * set is rebuilt from the database (one process at a time, under a lock) and the database
 * answers meanwhile.
 */
export class RedisRankCache implements RankCache {
  private readonly redis: Redis & ScriptedRedis;
  private readonly rebuilding = new Map<string, Promise<void>>();
  private readonly now: () => number;

  constructor(private readonly options: RedisRankCacheOptions) {
    const redis = options.redis as Redis & ScriptedRedis;
    if (typeof (redis as Partial<ScriptedRedis>).lbBegin !== "function") {
      redis.defineCommand("lbApply", { lua: APPLY });
      redis.defineCommand("lbRank", { numberOfKeys: 3, lua: RANK });
      redis.defineCommand("lbRemove", { numberOfKeys: 4, lua: REMOVE });
      redis.defineCommand("lbApplyAndRank", { lua: APPLY_AND_RANK });
      redis.defineCommand("lbBegin", { numberOfKeys: 4, lua: BEGIN });
      redis.defineCommand("lbFinish", { numberOfKeys: 7, lua: FINISH });
      redis.defineCommand("lbTouch", { numberOfKeys: 3, lua: TOUCH });
    }
    this.redis = redis;
    this.now = options.now ?? Date.now;
  }

  private keys(board: string, period: string): RankCacheKeys {
    return rankCacheKeys(this.options.prefix, board, period);
  }

  async apply(rows: ScoreRow[]): Promise<void> {
    if (rows.length === 0) return;
    const pipe = this.redis.pipeline() as unknown as ScriptedRedis & { exec(): Promise<unknown> };
    for (const row of rows) this.applyTo(pipe, row);
    await pipe.exec();
  }

  private applyTo(target: ScriptedRedis, row: ScoreRow): void {
    const { z, h, lock, tz, th } = this.keys(row.board, row.period);
    void target.lbApply(5, z, h, lock, tz, th, row.userId, encodeScore(boardDirection(row.board), row.score), encodeMember(row), ttlMsOf(row.period, this.now()));
  }

  async removeUser(userId: number, boards: { board: string; period: string }[]): Promise<void> {
    const pipe = this.redis.pipeline() as unknown as ScriptedRedis & { exec(): Promise<unknown> };
    for (const { board, period } of boards) {
      const { z, h, lock, dirty } = this.keys(board, period);
      void pipe.lbRemove(z, h, lock, dirty, userId);
    }
    await pipe.exec();
  }

  async ranks(queries: RankQuery[]): Promise<(number | null)[]> {
    return this.applyAndRank([], queries);
  }

  async applyAndRank(rows: ScoreRow[], queries: RankQuery[]): Promise<(number | null)[]> {
    if (rows.length === 0 && queries.length === 0) return [];
    const keys: string[] = [];
    const args: (string | number)[] = [rows.length, queries.length];
    for (const row of rows) {
      const { z, h, lock, tz, th } = this.keys(row.board, row.period);
      keys.push(z, h, lock, tz, th);
      args.push(row.userId, encodeScore(boardDirection(row.board), row.score), encodeMember(row), ttlMsOf(row.period, this.now()));
    }
    for (const q of queries) {
      const { z, h, marker } = this.keys(q.board, q.period);
      keys.push(z, h, marker);
      args.push(q.userId);
    }
    const results = await this.redis.lbApplyAndRank(keys.length, ...keys, ...args);
    const out: (number | null)[] = [];
    const missing: number[] = [];
    results.forEach((value, i) => {
      const r = Number(value);
      if (r === MISSING) missing.push(i);
      out.push(r < 0 ? null : r + 1);
    });
    if (missing.length > 0) {
      for (const i of missing) this.rebuildSoon(queries[i].board, queries[i].period);
      const fromDb = await this.options.db.ranks(missing.map((i) => queries[i]));
      missing.forEach((i, j) => (out[i] = fromDb[j]));
    }
    return out;
  }

  async range(board: string, period: string, fromRank: number, toRank: number): Promise<RankedEntry[]> {
    const from = Math.max(1, fromRank);
    if (toRank < from) return [];
    const { z, marker } = this.keys(board, period);
    const results = await this.redis.multi().exists(marker).zrevrange(z, from - 1, toRank - 1, "WITHSCORES").exec().catch(() => null);
    if (!results) return this.options.db.range(board, period, from, toRank); // Redis unreachable: degrade to the database
    if (results[0][1] === 0) {
      this.rebuildSoon(board, period);
      return this.options.db.range(board, period, from, toRank);
    }
    const flat = results[1][1] as string[];
    const direction = boardDirection(board);
    const out: RankedEntry[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const { userId, reachedAtMs } = decodeMember(flat[i]);
      out.push({ userId, reachedAtMs, score: decodeScore(direction, Number(flat[i + 1])), rank: from + i / 2 });
    }
    return out;
  }

  async count(board: string, period: string): Promise<number> {
    const { z, marker } = this.keys(board, period);
    const results = await this.redis.multi().exists(marker).zcard(z).exec().catch(() => null);
    if (!results) return this.options.db.count(board, period);
    if (results[0][1] === 0) {
      this.rebuildSoon(board, period);
      return this.options.db.count(board, period);
    }
    return Number(results[1][1]);
  }

  /** Rebuilds one board and period from the database now (tests, and the background rebuild). */
  async rebuild(board: string, period: string): Promise<void> {
    const key = `${board}:${period}`;
    let running = this.rebuilding.get(key);
    if (!running) {
      running = this.doRebuild(board, period).finally(() => this.rebuilding.delete(key));
      this.rebuilding.set(key, running);
    }
    return running;
  }

  private rebuildSoon(board: string, period: string): void {
    this.rebuild(board, period).catch(() => {});
  }

  /**
   * Rebuilds into temporary keys and RENAMEs them over the live ones with the marker, atomically
   * (so entries the database no longer has, e.g. a banned user whose removal failed, disappear).
   * Commits applied meanwhile go to both (the lock says a rebuild runs); a removal meanwhile marks
   * the rebuild dirty and it is dropped (the next read starts another).
   */
  private async doRebuild(board: string, period: string): Promise<void> {
    const { z, h, marker, lock, tz, th, dirty } = this.keys(board, period);
    const token = randomUUID();
    if ((await this.redis.lbBegin(lock, tz, th, dirty, token, LOCK_MS)) !== 1) return;
    let finished = false;
    try {
      const chunk = 5_000;
      for (let from = 1; ; from += chunk) {
        const entries = await this.options.db.range(board, period, from, from + chunk - 1);
        if (entries.length > 0) {
          const pipe = this.redis.pipeline() as unknown as ScriptedRedis & { exec(): Promise<unknown> };
          for (const e of entries) void pipe.lbApply(2, tz, th, e.userId, encodeScore(boardDirection(board), e.score), encodeMember(e), 0);
          void pipe.lbTouch(lock, tz, th, token, LOCK_MS);
          await pipe.exec();
        }
        if (entries.length < chunk) break;
      }
      await this.redis.lbFinish(z, h, marker, lock, tz, th, dirty, token, this.options.ttlSeconds, ttlMsOf(period, this.now()), this.now());
      finished = true;
    } finally {
      if (!finished) await this.redis.lbTouch(lock, tz, th, token, 0).catch(() => {});
    }
  }

  async close(): Promise<void> {}
}
