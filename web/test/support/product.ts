import { generateKeyPairSync, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startFrontServer } from "./front-server.ts";

/** The real product running in this process, as the browser tests see it. */
export interface Product {
  /** Where the page is served (the backend's origin in `npm start`). */
  pageUrl: string;
  backendUrl: string;
  gameUrl: string;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = path.resolve(here, "../..");
export const DIST_DIR = path.join(WEB_DIR, "dist");
const LAUNCHER = path.resolve(WEB_DIR, "../scripts/start.ts");

/** Short games keep the browser tests quick; the rules are the same at any length. */
export const TEST_GAME_MS = 4_000;
export const TEST_STEPS = 3;

/**
 * Starts backend + game server on ephemeral ports with fresh storage (PostgreSQL/Redis
 * when DATABASE_URL/REDIS_URL are set, embedded otherwise). Uses the launcher's
 * `startEmbedded` when scripts/start.ts exports it, else composes the parts the same way.
 */
export async function startProduct(): Promise<Product> {
  if (existsSync(LAUNCHER)) {
    const launcher = (await import(LAUNCHER)) as { startEmbedded?: (options: Record<string, unknown>) => Promise<unknown> };
    if (typeof launcher.startEmbedded === "function") return startWithLauncher(launcher.startEmbedded);
  }
  return startComposed();
}

async function startWithLauncher(startEmbedded: (options: Record<string, unknown>) => Promise<unknown>): Promise<Product> {
  const running = (await startEmbedded({
    backendPort: 0,
    gamePort: 0,
    dataDir: "memory://",
    env: { LOG_LEVEL: "silent", GAME_DURATION_MS: String(TEST_GAME_MS), STEPS_COUNT: String(TEST_STEPS) },
  })) as { backendUrl: string; gameUrl?: string; gameServerUrl?: string; close(): Promise<void> };
  const gameUrl = running.gameUrl ?? running.gameServerUrl ?? "";
  return { pageUrl: running.backendUrl, backendUrl: running.backendUrl, gameUrl, close: () => running.close() };
}

async function startComposed(): Promise<Product> {
  const { openTestDatabase } = await import("@arena/db");
  const { MemorySessionStore } = await import("@arena/shared");
  const { RedisSessionStore } = await import("@arena/shared/session/redis-session-store");
  const { loadBackendConfig, startBackend } = await import("@arena/backend");
  const { loadConfig, startGameServer } = await import("@arena/game-server");
  const { pino } = await import("pino");

  const pem = () => generateKeyPairSync("ec", { namedCurve: "P-256" });
  const identity = pem().privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  const service = pem();
  const prefix = `web-e2e:${randomUUID()}:`;
  const redisUrl = process.env.REDIS_URL || undefined;
  const sessions = redisUrl ? new RedisSessionStore(redisUrl, `${prefix}session:`) : new MemorySessionStore();
  const db = await openTestDatabase();
  const log = pino({ level: "silent" });

  const backendConfig = loadBackendConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    NODE_ENV: "test",
    IDENTITY_SIGNING_KEY: identity,
    SERVICE_PUBLIC_KEY: service.publicKey.export({ type: "spki", format: "pem" }) as string,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
  });
  const backend = await startBackend(backendConfig, { db, sessions, log });
  const gameConfig = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    NODE_ENV: "test",
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    BACKEND_URL: backend.url,
    SERVICE_PRIVATE_KEY: service.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    GAME_DURATION_MS: String(TEST_GAME_MS),
    STEPS_COUNT: String(TEST_STEPS),
  });
  const game = await startGameServer(gameConfig, { identityKeys: (kid) => backend.backend.keys.resolve(kid), sessions, log });
  const front = await startFrontServer({
    distDir: DIST_DIR,
    backendUrl: backend.url,
    config: { gameServerUrl: game.url, adSeconds: 1 },
  });
  return {
    pageUrl: front.url,
    backendUrl: backend.url,
    gameUrl: game.url,
    async close() {
      await front.close();
      await game.close();
      await backend.close();
      await sessions.close();
      await db.close();
    },
  };
}
