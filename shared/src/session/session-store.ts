/** What the game server needs to know about a login session. */
export interface SessionRecord {
  /** User id (decimal string). */
  userId: string;
  /** Epoch ms after which the session is dead regardless. */
  expiresAt: number;
}

/**
 * Session liveness shared between the backend (writer) and the game server (reader).
 * The backend's database is the source of truth; this store mirrors the sessions that
 * are alive so that any process can check one in O(1). Deleting a session here is what
 * makes every token of that session refused everywhere. The mirror may be lost (Redis
 * restarted empty): the backend notices with {@link SessionStore.claimRestore} and refills it.
 */
export interface SessionStore {
  /** Records (or extends) a live session until `record.expiresAt`. */
  put(sid: string, record: SessionRecord): Promise<void>;
  /** The live session, or null if it was deleted or has expired. */
  get(sid: string): Promise<SessionRecord | null>;
  /**
   * Ends a session: from now on `get` answers null on every process. A short-lived tombstone
   * stays in its place so that a concurrent {@link restore} cannot bring it back.
   */
  delete(sid: string): Promise<void>;
  /**
   * True when the store has lost what it mirrored since the last call (a Redis restarted
   * without its data, or its session keys deleted; always true on a fresh store), and marks
   * it as being restored: the caller must then {@link restore} every live session.
   */
  claimRestore(): Promise<boolean>;
  /** Puts back sessions from the source of truth, skipping any that exist or were just deleted. */
  restore(sessions: ReadonlyArray<{ sid: string; record: SessionRecord }>): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** How long a deleted session's tombstone outlives its deletion: longer than any restore pass takes. */
export const SESSION_TOMBSTONE_MS = 60_000;
