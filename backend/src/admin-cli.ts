// Grants or revokes the admin role of an existing account (roles live in the database only):
//   npm run admin -- grant <username>
//   npm run admin -- revoke <username>
// Uses the backend's configuration (DATABASE_URL, or the embedded PGlite under DATA_DIR, which
// only one process may open: stop the embedded backend first; REDIS_URL for the sessions a
// revoke ends). With docker compose: docker compose exec backend npm run admin -- grant <username>
import path from "node:path";
import { openDatabase } from "@arena/db";
import { loadBackendConfig } from "./config.ts";
import { openSessionStore } from "./infrastructure.ts";
import { setUserRole } from "./auth/user-roles.ts";

const USAGE = "usage: npm run admin -- grant <username> | revoke <username>";

const [command, username, ...extra] = process.argv.slice(2);
const role = command === "grant" ? "admin" : command === "revoke" ? "player" : undefined;
if (!role || !username || extra.length > 0) {
  console.error(USAGE);
  process.exit(2);
}

const config = loadBackendConfig();
const db = await openDatabase({ url: config.DATABASE_URL, dataDir: path.join(config.DATA_DIR, "pglite") });
const sessions = openSessionStore(config);
let code = 0;
try {
  const change = await setUserRole({ db, sessions }, username, role);
  console.log(`${change.username} (id ${change.userId}) is now ${change.role}` + (role === "player" ? `; ${change.sessionsEnded} session(s) ended` : "; effective at its next login or token refresh"));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  code = 1;
} finally {
  await sessions.close();
  await db.close();
}
process.exit(code);
