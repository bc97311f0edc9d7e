import type { Redis } from "ioredis";
import { DbRankCache } from "./db-rank-cache.ts";
import { periodEndMs } from "./period-keys.ts";
import type { RankCache, RankedEntry, RankQuery, ScoreRow } from "./rank-cache.ts";
import { boardDirection, decodeMember, decodeScore, encodeMember, encodeScore } from "./rank-order.ts";

/** Keeps the better of the current and the offered entry, so rebuilds and live applies commute. */
const APPLY = `
local old = redis.call('HGET', KEYS[2], ARGV[1])
local s = tonumber(ARGV[2])
if old then
  local os = tonumber(redis.call('ZSCORE', KEYS[1], old))
  if os and (os > s or (os == s and old >= ARGV[3])) then return 0 end
  redis.call('ZREM', KEYS[1], old)
end
redis.call('ZADD', KEYS[1], s, ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
if ARGV[4] ~= '0' then
  redis.call('PEXPIREAT', KEYS[1], ARGV[4])
  redis.call('PEXPIREAT', KEYS[2], ARGV[4])
end
return 1`;

const RANK = `
if redis.call('EXISTS', KEYS[3]) == 0 then return -2 end
local m = redis.call('HGET', KEYS[2], ARGV[1])
if not m then return -1 end
local r = redis.call('ZREVRANK', KEYS[1], m)
if not r then return -1 end
return r`;

const REMOVE = `
local m = redis.call('HGET', KEYS[2], ARGV[1])
if m then redis.call('ZREM', KEYS[1], m); redis.call('HDEL', KEYS[2], ARGV[1]) end
return 1`;

/**
 * A whole group commit in one call: ARGV[1] = n rows, ARGV[2] = m rank queries. Row i uses
 * KEYS[2i-1] (zset), KEYS[2i] (members) and ARGV userId, zscore, member, expireAt (as APPLY);
 * query j uses the next three keys (zset, members, marker) and one ARGV userId (as RANK).
 */
const APPLY_AND_RANK = `
local n, m = tonumber(ARGV[1]), tonumber(ARGV[2])
local k, a = 1, 3
for i = 1, n do
  local z, h = KEYS[k], KEYS[k + 1]
  local uid, s, mem, exp = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], ARGV[a + 3]
  local old = redis.call('HGET', h, uid)
  local keep = false
  if old then
    local os = tonumber(redis.call('ZSCORE', z, old))
    if os and (os > s or (os == s and old >= mem)) then keep = true else redis.call('ZREM', z, old) end
  end
  if not keep then
    redis.call('ZADD', z, s, mem)
    redis.call('HSET', h, uid, mem)
    if exp ~= '0' then redis.call('PEXPIREAT', z, exp); redis.call('PEXPIREAT', h, exp) end
  end
  k, a = k + 2, a + 4
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

interface ScriptedRedis {
  lbApply(z: string, h: string, userId: number, zscore: number, member: string, expireAt: number): Promise<number>;
  lbRank(z: string, h: string, marker: string, userId: number): Promise<number>;
  lbRemove(z: string, h: string, userId: number): Promise<number>;
  lbApplyAndRank(numKeys: number, ...args: (string | number)[]): Promise<number[]>;
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
}

/**
 * {@link RankCache} over Redis sorted sets (see {@link encodeMember} for the exact tie encoding).
 * Per board and period: `lb:<board>:<period>` (zset), `lbm:…` (user id → member) and `lbr:…`, a
 * marker saying the set is complete. A missing or expired marker means missing or stale: the
 * set is rebuilt from the database (one process at a time, under a lock) and the database
 * answers meanwhile.
 */
export class RedisRankCache implements RankCache {
  private readonly redis: Redis & ScriptedRedis;
  private readonly rebuilding = new Map<string, Promise<void>>();

  constructor(private readonly options: RedisRankCacheOptions) {
    const redis = options.redis as Redis & ScriptedRedis;
    if (typeof (redis as Partial<ScriptedRedis>).lbApply !== "function") {
      redis.defineCommand("lbApply", { numberOfKeys: 2, lua: APPLY });
      redis.defineCommand("lbRank", { numberOfKeys: 3, lua: RANK });
      redis.defineCommand("lbRemove", { numberOfKeys: 2, lua: REMOVE });
      redis.defineCommand("lbApplyAndRank", { lua: APPLY_AND_RANK });
    }
    this.redis = redis;
  }

  private keys(board: string, period: string) {
    const tail = `${board}:${period}`;
    const p = this.options.prefix;
    return { z: `${p}lb:${tail}`, h: `${p}lbm:${tail}`, marker: `${p}lbr:${tail}`, lock: `${p}lbl:${tail}` };
  }

  async apply(rows: ScoreRow[]): Promise<void> {
    if (rows.length === 0) return;
    const pipe = this.redis.pipeline() as unknown as ScriptedRedis & { exec(): Promise<unknown> };
    for (const row of rows) this.applyTo(pipe, row);
    await pipe.exec();
  }

  private applyTo(target: ScriptedRedis, row: ScoreRow): void {
    const { z, h } = this.keys(row.board, row.period);
    const end = periodEndMs(row.period);
    const expireAt = Number.isFinite(end) ? end + 86_400_000 : 0;
    void target.lbApply(z, h, row.userId, encodeScore(boardDirection(row.board), row.score), encodeMember(row), expireAt);
  }

  async removeUser(userId: number, boards: { board: string; period: string }[]): Promise<void> {
    const pipe = this.redis.pipeline() as unknown as ScriptedRedis & { exec(): Promise<unknown> };
    for (const { board, period } of boards) {
      const { z, h } = this.keys(board, period);
      void pipe.lbRemove(z, h, userId);
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
      const { z, h } = this.keys(row.board, row.period);
      const end = periodEndMs(row.period);
      keys.push(z, h);
      args.push(row.userId, encodeScore(boardDirection(row.board), row.score), encodeMember(row), Number.isFinite(end) ? end + 86_400_000 : 0);
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

  private async doRebuild(board: string, period: string): Promise<void> {
    const { marker, lock } = this.keys(board, period);
    const got = await this.redis.set(lock, "1", "PX", 30_000, "NX");
    if (got !== "OK") return;
    try {
      const chunk = 5_000;
      for (let from = 1; ; from += chunk) {
        const entries = await this.options.db.range(board, period, from, from + chunk - 1);
        if (entries.length > 0) await this.apply(entries.map((e) => ({ ...e, board, period })));
        if (entries.length < chunk) break;
      }
      await this.redis.set(marker, String(Date.now()), "EX", this.options.ttlSeconds);
    } finally {
      await this.redis.del(lock);
    }
  }

  async close(): Promise<void> {}
}
