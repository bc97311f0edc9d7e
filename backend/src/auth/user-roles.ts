import type { Database } from "@arena/db";
import { normalizeName, type SessionStore } from "@arena/shared";
import { revokeUserSessions } from "./session-revocation.ts";
import { createUserRepository } from "./user-repository.ts";

/** What a role change did. */
export interface RoleChange {
  /** The account's normalised username. */
  username: string;
  /** Its user id. */
  userId: number;
  /** The role it has now. */
  role: "player" | "admin";
  /** Sessions ended because admin rights were taken away (their tokens still said admin). */
  sessionsEnded: number;
}

/**
 * Grants or revokes the admin role of an EXISTING account (roles live in `users.role` only;
 * registration always creates players). Revoking also ends the account's sessions, because
 * access JWTs carry the role and would otherwise stay admin until they expire. A grant takes
 * effect at the account's next login, refresh or /current_user. Throws when there is no such account.
 */
export async function setUserRole(deps: { db: Database; sessions: SessionStore }, rawUsername: string, role: "player" | "admin"): Promise<RoleChange> {
  const name = normalizeName(rawUsername);
  if (!name.ok) throw new Error(`"${rawUsername}" is not a valid username.`);
  const user = await createUserRepository(deps.db).setRole(name.name, role, role === "admin" ? "admin.role_grant" : "admin.role_revoke", new Date());
  if (!user) throw new Error(`No account named "${name.name}" (register it first).`);
  const ended = role === "player" ? await revokeUserSessions(deps, user.id) : [];
  return { username: user.username, userId: user.id, role: user.role, sessionsEnded: ended.length };
}
