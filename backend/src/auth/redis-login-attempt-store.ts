import { Redis } from "ioredis";
import type { AttemptRecord } from "@arena/shared/rules/login-throttle";
import { encode, type LoginAttemptStore } from "./login-attempt-store.ts";

// Compare-and-swap: ARGV[1] the expected value ("" = absent), ARGV[2] the next ("" = delete), ARGV[3] its TTL in ms.
const SWAP = `local current = redis.call("GET", KEYS[1]) or ""
if current ~= ARGV[1] then return 0 end
if ARGV[2] == "" then redis.call("DEL", KEYS[1]) else redis.call("SET", KEYS[1], ARGV[2], "PX", ARGV[3]) end
return 1`;

/** {@link LoginAttemptStore} in Redis (shared by every backend process): one Lua compare-and-swap per change. */
export class RedisLoginAttemptStore implements LoginAttemptStore {
  private readonly redis: Redis;

  /** `prefix` is prepended to every key (deployment / test isolation). */
  constructor(url: string, private readonly prefix: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
    this.redis.defineCommand("attemptSwap", { numberOfKeys: 1, lua: SWAP });
  }

  async get(key: string): Promise<AttemptRecord | null> {
    const value = await this.redis.get(this.prefix + key);
    return value === null ? null : (JSON.parse(value) as AttemptRecord);
  }

  async swap(key: string, expected: AttemptRecord | null, next: AttemptRecord | null, ttlMs: number): Promise<boolean> {
    const command = (this.redis as unknown as { attemptSwap(...args: Array<string | number>): Promise<number> }).attemptSwap;
    const written = await command.call(this.redis, this.prefix + key, encode(expected) ?? "", encode(next) ?? "", Math.max(1, Math.ceil(ttlMs)));
    return Number(written) === 1;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
