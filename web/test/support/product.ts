import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openTestDatabase } from "@arena/db/test-database";
import { Redis } from "ioredis";
import { setUserRole } from "@arena/backend/auth/user-roles";
import { startEmbedded } from "../../../scripts/embedded.ts";

/** The real product running in this process, as the browser tests see it. */
export interface Product {
  /** Where the backend serves the page (and its API), as `npm start` does. */
  pageUrl: string;
  gameUrl: string;
  /** Grants an existing account the admin role (as `npm run admin` does); it applies from its next login. */
  makeAdmin(username: string): Promise<void>;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = path.resolve(here, "../..");

/** Short games keep the browser tests quick; the rules are the same at any length. */
export const TEST_GAME_MS = 4_000;
export const TEST_STEPS = 3;
/** How long a match's results show before the room's lobby (product default 10 s). */
export const TEST_RESULTS_MS = 2_000;

/**
 * Starts the single-process product (`npm start`'s `startEmbedded`) on ephemeral ports over a
 * fresh database — a new PostgreSQL database when DATABASE_URL is set (dropped on close, so
 * no earlier run's scores crowd the top 10), in-memory PGlite otherwise — and, when REDIS_URL
 * is set, Redis keys under a unique prefix (deleted on close).
 */
export async function startProduct(options: { gameMs?: number; env?: Record<string, string> } = {}): Promise<Product> {
  const db = await openTestDatabase();
  const prefix = `web-e2e:${randomUUID()}:`;
  try {
    const running = await startEmbedded({
      backendPort: 0,
      gamePort: 0,
      dataDir: "memory://",
      db,
      env: {
        ...process.env,
        REDIS_KEY_PREFIX: prefix,
        LOG_LEVEL: "silent",
        NODE_ENV: "test",
        GAME_DURATION_MS: String(options.gameMs ?? TEST_GAME_MS),
        STEPS_COUNT: String(TEST_STEPS),
        MATCH_RESULTS_MS: String(TEST_RESULTS_MS),
        ...options.env,
      },
    });
    return {
      pageUrl: running.backendUrl,
      gameUrl: running.gameServerUrl,
      async makeAdmin(username) {
        await setUserRole({ db, sessions: running.sessions }, username, "admin");
      },
      async close() {
        await running.close();
        await db.close();
        await deleteRedisKeys(prefix);
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** Deletes this run's Redis keys (SCAN, never KEYS or FLUSH: the Redis is shared). */
async function deleteRedisKeys(prefix: string): Promise<void> {
  if (!process.env.REDIS_URL) return;
  const redis = new Redis(process.env.REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
