import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SqlRunner } from "./sql-runner.ts";

/** The advisory lock key `prisma migrate` itself takes, so the two never run at once. */
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "migrations");

export interface Migration {
  name: string;
  sql: string;
  /** Lower-case hex SHA-256 of the file bytes, as Prisma computes it. */
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(path.join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    }),
  );
}

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies pending migrations in name order, each exactly once, each with its
 * `_prisma_migrations` row in the same transaction. Mirrors `prisma migrate deploy`:
 * refuses a non-empty schema that has no migration history, a failed migration, and
 * an applied migration whose file changed.
 */
export async function migrate(db: SqlRunner, migrations?: Migration[]): Promise<MigrateResult> {
  const all = migrations ?? (await loadMigrations());
  return db.withAdvisoryLock(PRISMA_MIGRATE_LOCK_KEY, async (conn) => {
    const [{ has_history, table_count }] = await conn.query<{ has_history: boolean; table_count: number }>(
      `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS has_history,
              (SELECT count(*)::int FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations') AS table_count`,
    );
    if (!has_history && table_count > 0) {
      throw new MigrationError("The database schema is not empty and has no migration history (Prisma P3005).");
    }
    await conn.exec(HISTORY_TABLE);
    const rows = await conn.query<HistoryRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
    );
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) throw new MigrationError(`Migration ${failed.migration_name} failed earlier (Prisma P3009).`);
    const done = new Map(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r]));

    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const m of all) {
      const prior = done.get(m.name);
      if (prior) {
        if (prior.checksum !== m.checksum) {
          throw new MigrationError(`Migration ${m.name} was modified after it was applied.`);
        }
        result.alreadyApplied.push(m.name);
        continue;
      }
      await conn.transaction(async (tx) => {
        const id = randomUUID();
        await tx.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 0)`,
          [id, m.checksum, m.name],
        );
        await tx.exec(m.sql);
        await tx.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
      });
      result.applied.push(m.name);
    }
    return result;
  });
}
