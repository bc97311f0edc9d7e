import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";

/** The few raw-SQL operations the migrator needs, over PostgreSQL or PGlite. */
export interface SqlRunner {
  /** Runs one parameterised statement and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
  /** Runs `fn` inside one transaction on one connection. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Runs `fn` holding a session-level advisory lock on one connection. */
  withAdvisoryLock<T>(key: number, fn: (conn: SqlRunner) => Promise<T>): Promise<T>;
}

export function pgliteRunner(db: PGlite): SqlRunner {
  const self: SqlRunner = {
    async query(sql, params = []) {
      return (await db.query(sql, params)).rows as never[];
    },
    async exec(script) {
      await db.exec(script);
    },
    async transaction(fn) {
      return db.transaction(async (tx) =>
        fn({
          query: async (sql, params = []) => (await tx.query(sql, params)).rows as never[],
          exec: async (script) => void (await tx.exec(script)),
          transaction: () => Promise.reject(new Error("nested transaction")),
          withAdvisoryLock: () => Promise.reject(new Error("lock inside transaction")),
        }),
      );
    },
    // PGlite is single-connection and guarded by our own pid lock: no other migrator can run.
    async withAdvisoryLock(_key, fn) {
      return fn(self);
    },
  };
  return self;
}

function clientRunner(client: pg.PoolClient): SqlRunner {
  const self: SqlRunner = {
    async query(sql, params = []) {
      return (await client.query(sql, params)).rows;
    },
    async exec(script) {
      await client.query(script);
    },
    async transaction(fn) {
      await client.query("BEGIN");
      try {
        const out = await fn(self);
        await client.query("COMMIT");
        return out;
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      }
    },
    withAdvisoryLock: (key, fn) => withLock(client, key, () => fn(self)),
  };
  return self;
}

async function withLock<T>(client: pg.PoolClient, key: number, fn: () => Promise<T>): Promise<T> {
  await client.query("SELECT pg_advisory_lock($1)", [key]);
  try {
    return await fn();
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [key]);
  }
}

export function pgPoolRunner(pool: pg.Pool): SqlRunner {
  const onOneClient = async <T>(fn: (r: SqlRunner) => Promise<T>) => {
    const client = await pool.connect();
    try {
      return await fn(clientRunner(client));
    } finally {
      client.release();
    }
  };
  return {
    async query(sql, params = []) {
      return (await pool.query(sql, params)).rows;
    },
    async exec(script) {
      await pool.query(script);
    },
    transaction: (fn) => onOneClient((r) => r.transaction(fn)),
    withAdvisoryLock: (key, fn) => onOneClient((r) => r.withAdvisoryLock(key, fn)),
  };
}
