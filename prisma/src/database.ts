import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { migrate, type MigrateResult } from "./migrator.ts";
import { acquirePidLock } from "./pid-lock.ts";
import { pgliteRunner, pgPoolRunner, type SqlRunner } from "./sql-runner.ts";

export { PrismaClient };
export type { Prisma } from "./generated/prisma/client.ts";

export interface DatabaseOptions {
  /** PostgreSQL URL; when absent an embedded PGlite database is opened in `dataDir`. */
  url?: string;
  /** PGlite data directory (embedded mode). `memory://` keeps it in memory (tests). */
  dataDir?: string;
  /** Maximum pool size for PostgreSQL. */
  poolSize?: number;
}

/** One open database: the Prisma client, raw SQL for hot paths, and a clean close. */
export interface Database {
  readonly kind: "postgres" | "pglite";
  readonly prisma: PrismaClient;
  /** Raw SQL on the same database, for hot paths and the migrator. */
  readonly sql: SqlRunner;
  /** Applies pending migrations (idempotent). */
  migrate(): Promise<MigrateResult>;
  /** True when a trivial query succeeds. */
  ping(): Promise<boolean>;
  /** Disconnects Prisma and closes the driver (and releases the PGlite lock). */
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options.poolSize ?? 10) : openPglite(options.dataDir ?? "./.data/pglite");
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on("error", () => {}); // idle-client errors are reported by the next query
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return assemble("postgres", prisma, pgPoolRunner(pool), () => pool.end());
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith("memory://");
  const release = inMemory ? async () => {} : await acquirePidLock(dataDir);
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir, {
      // Without this, recovery after an unclean exit leaves a timer that keeps Node alive forever.
      startParams: [...PGlite.defaultStartParams, "-c", "log_startup_progress_interval=0"],
    });
  } catch (err) {
    await release();
    throw err;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });
  return assemble("pglite", prisma, pgliteRunner(client), async () => {
    await client.close();
    await release();
  });
}

function assemble(kind: Database["kind"], prisma: PrismaClient, sql: SqlRunner, closeDriver: () => Promise<void>): Database {
  let closed = false;
  return {
    kind,
    prisma,
    sql,
    migrate: () => migrate(sql),
    ping: () => sql.query("SELECT 1").then(() => true, () => false),
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}
