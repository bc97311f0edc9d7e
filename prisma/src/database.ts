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
  /** PostgreSQL: longest wait for a connection, and for a query's answer (ms); a dead or frozen server fails the call instead of hanging it. */
  timeouts?: { connectMs: number; queryMs: number };
  /**
   * PostgreSQL: runs every connection checkout (a circuit breaker: it may refuse at once while
   * the server is known to be down, and learns from each outcome).
   */
  guard?: <T>(checkout: () => Promise<T>) => Promise<T>;
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
  return options.url ? openPostgres(options.url, options) : openPglite(options.dataDir ?? "./.data/pglite");
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const timeouts = options.timeouts ?? { connectMs: 5000, queryMs: 30_000 };
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: timeouts.connectMs, query_timeout: timeouts.queryMs });
  pool.on("error", () => {}); // idle-client errors are reported by the next query
  if (options.guard) guardCheckouts(pool, options.guard);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return assemble("postgres", prisma, pgPoolRunner(pool), () => pool.end());
}

/** Routes every checkout (pool.query and Prisma included: both go through `connect`) through `guard`. */
function guardCheckouts(pool: pg.Pool, guard: NonNullable<DatabaseOptions["guard"]>): void {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  pool.connect = ((callback?: (err: Error | undefined, client?: pg.PoolClient, done?: (release?: unknown) => void) => void) => {
    const checkout = guard(() => connect());
    if (!callback) return checkout;
    checkout.then(
      (client) => callback(undefined, client, (release?: unknown) => client.release(release as boolean | Error | undefined)),
      (err: Error) => callback(err),
    );
  }) as typeof pool.connect;
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
