import { SESSION_TOMBSTONE_MS, type SessionRecord, type SessionStore } from "./session-store.ts";

/** Single-process {@link SessionStore} (embedded mode). `now` is injectable for tests. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();
  /** Deleted sessions → until when a restore must not bring them back. */
  private readonly tombstones = new Map<string, number>();
  private restored = false;
  constructor(private readonly now: () => number = Date.now) {}

  async put(sid: string, record: SessionRecord): Promise<void> {
    this.sessions.set(sid, { ...record });
  }

  async get(sid: string): Promise<SessionRecord | null> {
    const record = this.sessions.get(sid);
    if (!record) return null;
    if (record.expiresAt <= this.now()) {
      this.sessions.delete(sid);
      return null;
    }
    return { ...record };
  }

  async delete(sid: string): Promise<void> {
    this.sessions.delete(sid);
    const now = this.now();
    for (const [id, until] of this.tombstones) if (until <= now) this.tombstones.delete(id);
    this.tombstones.set(sid, now + SESSION_TOMBSTONE_MS);
  }

  async claimRestore(): Promise<boolean> {
    if (this.restored) return false;
    this.restored = true;
    return true;
  }

  async restore(sessions: ReadonlyArray<{ sid: string; record: SessionRecord }>): Promise<void> {
    const now = this.now();
    for (const { sid, record } of sessions) {
      if (this.sessions.has(sid) || (this.tombstones.get(sid) ?? 0) > now || record.expiresAt <= now) continue;
      this.sessions.set(sid, { ...record });
    }
  }

  async close(): Promise<void> {
    this.sessions.clear();
    this.tombstones.clear();
  }
}
