import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openTestDatabase } from "@arena/db";
import { startEmbedded } from "../../../scripts/embedded.ts";

/** The real product running in this process, as the browser tests see it. */
export interface Product {
  /** Where the backend serves the page (and its API), as `npm start` does. */
  pageUrl: string;
  gameUrl: string;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = path.resolve(here, "../..");

/** Short games keep the browser tests quick; the rules are the same at any length. */
export const TEST_GAME_MS = 4_000;
export const TEST_STEPS = 3;

/**
 * Starts the single-process product (`npm start`'s `startEmbedded`) on ephemeral ports with
 * fresh storage: a new PostgreSQL database when DATABASE_URL is set (so earlier runs' scores
 * never crowd the top 10), in-memory PGlite otherwise; Redis keys under a unique prefix when
 * REDIS_URL is set.
 */
export async function startProduct(): Promise<Product> {
  let databaseUrl: string | undefined;
  if (process.env.DATABASE_URL) {
    const fresh = await openTestDatabase();
    databaseUrl = fresh.url;
    await fresh.close();
  }
  const running = await startEmbedded({
    backendPort: 0,
    gamePort: 0,
    dataDir: "memory://",
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_KEY_PREFIX: `web-e2e:${randomUUID()}:`,
      LOG_LEVEL: "silent",
      NODE_ENV: "test",
      GAME_DURATION_MS: String(TEST_GAME_MS),
      STEPS_COUNT: String(TEST_STEPS),
    },
  });
  return { pageUrl: running.backendUrl, gameUrl: running.gameServerUrl, close: () => running.close() };
}
