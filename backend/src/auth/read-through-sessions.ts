import type { Database } from "@arena/db";
import type { SessionRecord, SessionStore } from "@arena/shared";
import { createSessionRepository, sessionLiveUntil } from "./session-repository.ts";

/** The source of truth's answer for one session: alive (row present, not idle, not expired, user not banned) or null. */
export function liveSessionsIn(db: Database, heartbeatMs: number, now: () => number): (sid: string) => Promise<SessionRecord | null> {
  const rows = createSessionRepository(db);
  return async (sid) => {
    const row = await rows.findWithUser(sid);
    if (!row || row.user.status === "banned") return null;
    const expiresAt = sessionLiveUntil(row, heartbeatMs);
    return expiresAt > now() ? { userId: String(row.userId), expiresAt } : null;
  };
}

/**
 * The backend's view of the SessionStore for authenticating requests: a miss (the mirror lost
 * the session, e.g. Redis restarted empty) asks the database, the source of truth, and puts a
 * session that is alive there back into the mirror. A logged-out session has no row, and its
 * tombstone in the mirror keeps a concurrent restore from reviving it; nothing negative is
 * cached, so a restored session is accepted at the next request.
 */
export function readThroughSessions(mirror: SessionStore, live: (sid: string) => Promise<SessionRecord | null>): SessionStore {
  return {
    put: (sid, record) => mirror.put(sid, record),
    delete: (sid) => mirror.delete(sid),
    claimRestore: () => mirror.claimRestore(),
    restore: (sessions) => mirror.restore(sessions),
    close: () => mirror.close(),
    async get(sid) {
      const hit = await mirror.get(sid);
      if (hit) return hit;
      const record = await live(sid);
      if (!record) return null;
      await mirror.restore([{ sid, record }]);
      return mirror.get(sid);
    },
  };
}
