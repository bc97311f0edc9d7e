import type { Redis } from "ioredis";
import { createRedisClient } from "@arena/shared/resilience/redis-client";
import type { LeaseStore, OnceAcquire } from "./lease-store.ts";

// Compare-and-act scripts: only the holder (same value) may extend or delete its lease.
const REFRESH = `local n = 0
for i = 1, #KEYS do
  if redis.call("GET", KEYS[i]) == ARGV[i + 1] then
    redis.call("PEXPIRE", KEYS[i], ARGV[1]); n = n + 1
  end
end
return n`;
const ACQUIRE_ONCE = `local held = redis.call("GET", KEYS[1])
if held then return {1, held} end
if redis.call("EXISTS", KEYS[2]) == 1 then return {2} end
redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
redis.call("SET", KEYS[2], "1", "PX", ARGV[3])
return {0}`;
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`;

/** {@link LeaseStore} over Redis: SET NX PX to acquire, Lua compare-and-PEXPIRE / compare-and-DEL / acquire-once. */
export class RedisLeaseStore implements LeaseStore {
  private readonly redis: Redis;
  private readonly owned: boolean;

  /** `prefix` is prepended to every key (deployment / test isolation). A URL opens a connection of its own, closed by close(). */
  constructor(redis: Redis | string, private readonly prefix = "") {
    this.owned = typeof redis === "string";
    this.redis = typeof redis === "string" ? createRedisClient(redis, { commandTimeoutMs: 1000, extra: { enableAutoPipelining: true } }) : redis;
    this.redis.defineCommand("leaseRefresh", { lua: REFRESH });
    this.redis.defineCommand("leaseRelease", { numberOfKeys: 1, lua: RELEASE });
    this.redis.defineCommand("leaseAcquireOnce", { numberOfKeys: 2, lua: ACQUIRE_ONCE });
  }

  async acquire(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, value, "PX", ttlMs, "NX")) === "OK";
  }

  async acquireOnce(key: string, value: string, ttlMs: number, once: string, onceTtlMs: number): Promise<OnceAcquire> {
    const command = (this.redis as unknown as LeaseCommands).leaseAcquireOnce;
    const [outcome, holder] = await command.call(this.redis, this.prefix + key, this.prefix + once, value, ttlMs, onceTtlMs);
    if (outcome === 1) return { acquired: false, holder: String(holder) };
    if (outcome === 2) return { acquired: false, marked: true };
    return { acquired: true };
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, "PX", ttlMs);
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(this.prefix + key);
  }

  async refresh(leases: ReadonlyArray<readonly [string, string]>, ttlMs: number): Promise<number> {
    if (leases.length === 0) return 0;
    const keys = leases.map(([key]) => this.prefix + key);
    const values = leases.map(([, value]) => value);
    const command = (this.redis as unknown as LeaseCommands).leaseRefresh;
    return Number(await command.call(this.redis, keys.length, ...keys, ttlMs, ...values));
  }

  async release(key: string, value: string): Promise<boolean> {
    const command = (this.redis as unknown as LeaseCommands).leaseRelease;
    return Number(await command.call(this.redis, this.prefix + key, value)) === 1;
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => {});
  }
}

interface LeaseCommands {
  leaseRefresh(...args: Array<string | number>): Promise<number>;
  leaseRelease(key: string, value: string): Promise<number>;
  leaseAcquireOnce(key: string, once: string, value: string, ttlMs: number, onceTtlMs: number): Promise<[number, string?]>;
}
