import { Redis } from "ioredis";
import type { SessionRecord, SessionStore } from "./session-store.ts";

/**
 * {@link SessionStore} over Redis: `session:<sid>` → `<userId>:<expiresAt>` with a
 * PEXPIREAT at the session's expiry, so dead sessions vanish by themselves.
 */
export class RedisSessionStore implements SessionStore {
  private readonly redis: Redis;
  private readonly owned: boolean;

  constructor(redis: Redis | string, private readonly prefix = "session:") {
    this.owned = typeof redis === "string";
    this.redis = typeof redis === "string" ? new Redis(redis, { lazyConnect: false, maxRetriesPerRequest: 2 }) : redis;
  }

  async put(sid: string, record: SessionRecord): Promise<void> {
    await this.redis.set(this.prefix + sid, `${record.userId}:${record.expiresAt}`, "PXAT", record.expiresAt);
  }

  async get(sid: string): Promise<SessionRecord | null> {
    const value = await this.redis.get(this.prefix + sid);
    if (!value) return null;
    const at = value.lastIndexOf(":");
    const expiresAt = Number(value.slice(at + 1));
    if (!(expiresAt > Date.now())) return null;
    return { userId: value.slice(0, at), expiresAt };
  }

  async delete(sid: string): Promise<void> {
    await this.redis.del(this.prefix + sid);
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => {});
  }
}
