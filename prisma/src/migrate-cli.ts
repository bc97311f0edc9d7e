// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded
// PGlite directory (DATA_DIR, default ./.data) when DATABASE_URL is unset.
import path from "node:path";
import { openDatabase } from "./database.ts";

const url = process.env.DATABASE_URL || undefined;
const dataDir = path.join(process.env.DATA_DIR || "./.data", "pglite");
const db = await openDatabase({ url, dataDir });
try {
  const result = await db.migrate();
  for (const name of result.applied) console.log(`applied ${name}`);
  console.log(`${result.applied.length} applied, ${result.alreadyApplied.length} already applied (${db.kind})`);
} finally {
  await db.close();
}
