import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../src/database.ts";

/**
 * A fresh, migrated database for one test suite: a new PostgreSQL database next to
 * DATABASE_URL when it is set (dropped on close), otherwise an in-memory PGlite.
 */
export async function openTestDatabase(baseUrl = process.env.DATABASE_URL): Promise<Database & { url?: string }> {
  if (!baseUrl) {
    const db = await openDatabase({ dataDir: "memory://" });
    await db.migrate();
    return db;
  }
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), poolSize: 20 });
  await db.migrate();
  return {
    ...db,
    url: url.toString(),
    async close() {
      await db.close();
      const dropper = new pg.Client({ connectionString: baseUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}
