import type { Redis } from "ioredis";
import { createRedisClient } from "@arena/shared/resilience/redis-client";
import type { LeaseStore } from "./lease-store.ts";

// Compare-and-act scripts: only the holder (same value) may extend or delete its lease.
const REFRESH = `local n = 0
for i = 1, #KEYS do
  if redis.call("GET", KEYS[i]) == ARGV[i + 1] then
    redis.call("PEXPIRE", KEYS[i], ARGV[1]); n = n + 1
  end
end
return n`;
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`;

/** {@link LeaseStore} over Redis: SET NX PX to acquire, Lua compare-and-PEXPIRE / compare-and-DEL. */
export class RedisLeaseStore implements LeaseStore {
  private readonly redis: Redis;
  private readonly owned: boolean;

  /** `prefix` is prepended to every key (deployment / test isolation). A URL opens a connection of its own, closed by close(). */
  constructor(redis: Redis | string, private readonly prefix = "") {
    this.owned = typeof redis === "string";
    this.redis = typeof redis === "string" ? createRedisClient(redis, { commandTimeoutMs: 1000, extra: { enableAutoPipelining: true } }) : redis;
    this.redis.defineCommand("leaseRefresh", { lua: REFRESH });
    this.redis.defineCommand("leaseRelease", { numberOfKeys: 1, lua: RELEASE });
  }

  async acquire(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, value, "PX", ttlMs, "NX")) === "OK";
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
}
