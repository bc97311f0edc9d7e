import type { SessionRecord, SessionStore } from "./session-store.ts";

/** Single-process {@link SessionStore} (embedded mode). `now` is injectable for tests. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();
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
  }

  async close(): Promise<void> {
    this.sessions.clear();
  }
}
