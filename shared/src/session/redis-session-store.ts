import { Redis } from "ioredis";
import type { SessionRecord, SessionStore } from "./session-store.ts";

/**
 * {@link SessionStore} over Redis: `session:<sid>` → `<userId>:<expiresAt>` with a
 * relative TTL up to the session's expiry, so dead sessions vanish by themselves. The TTL is
 * computed on the app's clock (`now`, injectable) and handed to Redis as a duration, so the
 * Redis host's clock never has to agree with the app's.
 */
export class RedisSessionStore implements SessionStore {
  private readonly redis: Redis;
  private readonly owned: boolean;

  constructor(
    redis: Redis | string,
    private readonly prefix = "session:",
    private readonly now: () => number = Date.now,
  ) {
    this.owned = typeof redis === "string";
    this.redis = typeof redis === "string" ? new Redis(redis, { lazyConnect: false, maxRetriesPerRequest: 2 }) : redis;
  }

  async put(sid: string, record: SessionRecord): Promise<void> {
    const ttl = Math.ceil(record.expiresAt - this.now());
    if (ttl <= 0) {
      await this.redis.del(this.prefix + sid);
      return;
    }
    await this.redis.set(this.prefix + sid, `${record.userId}:${record.expiresAt}`, "PX", ttl);
  }

  async get(sid: string): Promise<SessionRecord | null> {
    const value = await this.redis.get(this.prefix + sid);
    if (!value) return null;
    const at = value.lastIndexOf(":");
    const expiresAt = Number(value.slice(at + 1));
    if (!(expiresAt > this.now())) return null;
    return { userId: value.slice(0, at), expiresAt };
  }

  async delete(sid: string): Promise<void> {
    await this.redis.del(this.prefix + sid);
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => {});
  }
}
