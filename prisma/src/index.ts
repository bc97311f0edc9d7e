export * from "./database.ts";
export { migrate, loadMigrations, MigrationError, PRISMA_MIGRATE_LOCK_KEY, type MigrateResult } from "./migrator.ts";
export { DataDirLockedError } from "./pid-lock.ts";
export type { SqlRunner } from "./sql-runner.ts";
