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
 * makes every token of that session refused everywhere.
 */
export interface SessionStore {
  /** Records (or extends) a live session until `record.expiresAt`. */
  put(sid: string, record: SessionRecord): Promise<void>;
  /** The live session, or null if it was deleted or has expired. */
  get(sid: string): Promise<SessionRecord | null>;
  /** Removes a session: from now on `get` answers null on every process. */
  delete(sid: string): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}
