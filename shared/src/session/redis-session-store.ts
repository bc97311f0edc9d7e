import type { Redis } from "ioredis";
import { createRedisClient } from "../resilience/redis-client.ts";
import { SESSION_TOMBSTONE_MS, type SessionRecord, type SessionStore } from "./session-store.ts";

/** The value a deleted session leaves behind for {@link SESSION_TOMBSTONE_MS}. */
const TOMBSTONE = "ended";
/** Key suffix of the marker whose absence says the mirror was lost (it vanishes with the session keys). */
const MARKER = "~mirrored";

/**
 * {@link SessionStore} over Redis: `session:<sid>` → `<userId>:<expiresAt>` with a
 * relative TTL up to the session's expiry, so dead sessions vanish by themselves. The TTL is
 * computed on the app's clock (`now`, injectable) and handed to Redis as a duration, so the
 * Redis host's clock never has to agree with the app's. A deleted session becomes the
 * tombstone `ended` for a minute; `session:~mirrored` marks a mirror that is complete.
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
    this.redis = typeof redis === "string" ? createRedisClient(redis, { commandTimeoutMs: 1000 }) : redis;
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
    if (!value || value === TOMBSTONE) return null;
    const at = value.lastIndexOf(":");
    const expiresAt = Number(value.slice(at + 1));
    if (!(expiresAt > this.now())) return null;
    return { userId: value.slice(0, at), expiresAt };
  }

  async delete(sid: string): Promise<void> {
    await this.redis.set(this.prefix + sid, TOMBSTONE, "PX", SESSION_TOMBSTONE_MS);
  }

  async claimRestore(): Promise<boolean> {
    return (await this.redis.set(this.prefix + MARKER, String(this.now()), "NX")) === "OK";
  }

  async restore(sessions: ReadonlyArray<{ sid: string; record: SessionRecord }>): Promise<void> {
    const now = this.now();
    for (let i = 0; i < sessions.length; i += 500) {
      const batch = this.redis.pipeline();
      for (const { sid, record } of sessions.slice(i, i + 500)) {
        const ttl = Math.ceil(record.expiresAt - now);
        if (ttl > 0) batch.set(this.prefix + sid, `${record.userId}:${record.expiresAt}`, "PX", ttl, "NX");
      }
      const results = await batch.exec();
      const failed = results?.find(([err]) => err);
      if (failed) throw failed[0];
    }
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => {});
  }
}
