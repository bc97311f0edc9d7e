// The single-process product: backend + game server in one process sharing one
// in-memory session store, the backend's identity keys handed to the game server
// in-process, and a service key pair for results kept under DATA_DIR/keys.
import "@arena/game-server/websocket-global";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { openDatabase, type Database } from "@arena/db";
import type { SessionStore } from "@arena/shared";
import { createIdentityKeyStore, createLogger, loadBackendConfig, openSessionStore, startBackend, type RunningBackend } from "@arena/backend";
import { loadConfig as loadGameConfig, startGameServer, type RunningGameServer } from "@arena/game-server";

export interface EmbeddedOptions {
  /** Environment to read configuration from (defaults to process.env). */
  env?: Record<string, string | undefined>;
  /** Backend port (default env PORT or 3000; 0 = any). */
  backendPort?: number;
  /** Game server port (default env GAME_PORT or 2567; 0 = any). */
  gamePort?: number;
  /** Data directory; "memory://" keeps the database and keys in memory (tests). */
  dataDir?: string;
  /** An open, migrated database to use instead of opening one (tests); not closed here. */
  db?: Database;
}

/** The monitor's credential as `npm start` set it up. */
export interface MonitorAccess {
  /** http://…/colyseus/ */
  url: string;
  user: string;
  /** From ADMIN_PASSWORD, or generated at first start and kept in `file`. */
  password: string;
  /** True when this start generated the password (print it this once). */
  generated: boolean;
  /** Where a generated password is kept (undefined: ADMIN_PASSWORD, or in memory). */
  file?: string;
}

export interface RunningEmbedded {
  backendUrl: string;
  gameServerUrl: string;
  monitor: MonitorAccess;
  backend: RunningBackend;
  gameServer: RunningGameServer;
  sessions: SessionStore;
  close(): Promise<void>;
}

interface ServiceKeys {
  privatePem: string;
  publicPem: string;
}

/** The game server's service key pair: generated once and kept in `<dataDir>/keys` (0600). */
export async function serviceKeys(dataDir: string): Promise<ServiceKeys> {
  const fresh = () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    return {
      privatePem: privateKey.export({ type: "pkcs8", format: "pem" }) as string,
      publicPem: publicKey.export({ type: "spki", format: "pem" }) as string,
    };
  };
  if (dataDir.startsWith("memory://")) return fresh();
  const dir = path.join(dataDir, "keys");
  const privateFile = path.join(dir, "service-private.pem");
  const publicFile = path.join(dir, "service-public.pem");
  if (existsSync(privateFile) && existsSync(publicFile)) {
    return { privatePem: await readFile(privateFile, "utf8"), publicPem: await readFile(publicFile, "utf8") };
  }
  const keys = fresh();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(privateFile, keys.privatePem, { mode: 0o600 });
  await writeFile(publicFile, keys.publicPem, { mode: 0o644 });
  await chmod(privateFile, 0o600);
  return keys;
}

/**
 * The monitor password when ADMIN_PASSWORD is not set: 144 random bits generated at first start
 * and kept with the embedded keys (`<dataDir>/keys/monitor-password`, 0600). Nothing has a default.
 */
export async function monitorPassword(dataDir: string): Promise<{ password: string; generated: boolean; file?: string }> {
  const fresh = () => randomBytes(18).toString("base64url");
  if (dataDir.startsWith("memory://")) return { password: fresh(), generated: true };
  const dir = path.join(dataDir, "keys");
  const file = path.join(dir, "monitor-password");
  if (existsSync(file)) return { password: (await readFile(file, "utf8")).trim(), generated: false, file };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const password = fresh();
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { password, generated: true, file };
}

/**
 * The game server's CORS allow-list under `npm start`: CORS_ORIGINS plus the origin of the page the
 * backend serves (and its `localhost` spelling on loopback), which calls the game server cross-origin.
 */
export function withPageOrigins(configured: string | undefined, pageUrl: string): string {
  const page = new URL(pageUrl);
  const origins = new Set((configured ?? "").split(",").map((s) => s.trim()).filter(Boolean));
  origins.add(page.origin);
  if (page.hostname === "127.0.0.1") origins.add(`${page.protocol}//localhost:${page.port}`);
  return [...origins].join(",");
}

/** The metrics port of game server `index` when the launcher's METRICS_PORT (the backend's) is set: the ports after it (0 stays "any"). */
export function gameMetricsPort(metricsPort: string | undefined, index: number): string | undefined {
  if (metricsPort === undefined || metricsPort === "") return undefined;
  return Number(metricsPort) === 0 ? "0" : String(Number(metricsPort) + 1 + index);
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts backend and game server in this process. */
export async function startEmbedded(options: EmbeddedOptions = {}): Promise<RunningEmbedded> {
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ?? env.DATA_DIR ?? "./.data";
  const backendPort = options.backendPort ?? Number(env.PORT ?? 3000);
  const host = env.HOST ?? "127.0.0.1";
  // The page learns the game server's address from the backend's /config.json, written
  // before the game server listens: resolve "any port" to a concrete free one first.
  const requestedGamePort = options.gamePort ?? Number(env.GAME_PORT ?? 2567);
  const gamePort = requestedGamePort === 0 ? await freePort(host) : requestedGamePort;
  const inMemory = dataDir.startsWith("memory://");
  const keys = await serviceKeys(dataDir);
  const monitorSecret = env.ADMIN_PASSWORD ? { password: env.ADMIN_PASSWORD, generated: false } : await monitorPassword(dataDir);
  const gameServerUrl = gamePort === 2567 ? env.GAME_SERVER_URL : env.GAME_SERVER_URL ?? `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${gamePort}`;

  const backendConfig = loadBackendConfig({
    ...env,
    PORT: String(backendPort),
    DATA_DIR: dataDir,
    SERVICE_PUBLIC_KEY: env.SERVICE_PUBLIC_KEY ?? keys.publicPem,
    GAME_SERVER_URL: gameServerUrl,
  });
  const log = createLogger(backendConfig);
  // One session store for both apps, chosen as the backend chooses it.
  const sessions = openSessionStore(backendConfig);
  // A memory data dir gets its own in-memory database; otherwise startBackend opens (and
  // closes) PGlite under DATA_DIR or DATABASE_URL itself.
  const db = !options.db && inMemory ? await openDatabase({ dataDir }) : undefined;
  if (db) await db.migrate();

  let backend: RunningBackend | undefined;
  try {
    // In memory nothing may touch the disk: ephemeral identity keys instead of DATA_DIR/keys.
    const identityKeys = inMemory && !env.IDENTITY_SIGNING_KEY
      ? createIdentityKeyStore(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey)
      : undefined;
    backend = await startBackend(backendConfig, { log, sessions, db: options.db ?? db, keys: identityKeys });
    const keyStore = backend.backend.keys;
    const gameConfig = loadGameConfig({
      ...env,
      PORT: String(gamePort),
      BACKEND_URL: backend.url,
      SERVICE_PRIVATE_KEY: env.SERVICE_PRIVATE_KEY ?? keys.privatePem,
      ADMIN_PASSWORD: monitorSecret.password,
      CORS_ORIGINS: withPageOrigins(env.CORS_ORIGINS, backend.url),
      // One METRICS_PORT for the launcher: the backend takes it, the game server the next one.
      METRICS_PORT: gameMetricsPort(env.METRICS_PORT, 0),
    });
    const gameServer = await startGameServer(gameConfig, {
      identityKeys: (kid) => keyStore.resolve(kid),
      sessions,
      log: log.child({ app: "game-server" }),
    });
    const running = backend;
    let closing: Promise<void> | undefined;
    return {
      backendUrl: backend.url,
      gameServerUrl: gameServer.url,
      monitor: { url: `${gameServer.url}/colyseus/`, user: gameConfig.ADMIN_USER, ...monitorSecret },
      backend,
      gameServer,
      sessions,
      close: () =>
        (closing ??= (async () => {
          await gameServer.close().catch((err: unknown) => log.error({ err }, "game server close failed"));
          await running.close().catch((err: unknown) => log.error({ err }, "backend close failed"));
          await db?.close();
          await sessions.close();
        })()),
    };
  } catch (err) {
    await backend?.close().catch(() => {});
    await db?.close().catch(() => {});
    await sessions.close();
    throw err;
  }
}
