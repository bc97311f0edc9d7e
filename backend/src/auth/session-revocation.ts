import type { Database } from "@arena/db";
import type { SessionStore } from "@arena/shared";
import { createSessionRepository } from "./session-repository.ts";

/**
 * Ends every session of a user (DB rows, their refresh tokens, and the SessionStore
 * mirror), so every token of that user is refused from now on. Used by bans.
 */
export async function revokeUserSessions(deps: { db: Database; sessions: SessionStore }, userId: number): Promise<string[]> {
  const ids = await createSessionRepository(deps.db).deleteForUser(userId);
  await Promise.all(ids.map((id) => deps.sessions.delete(id)));
  return ids;
}
