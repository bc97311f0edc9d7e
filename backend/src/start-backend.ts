import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type pino from "pino";
import { openDatabase, type Database } from "@arena/db";
import type { SessionStore } from "@arena/shared";
import { listenMetrics, type MetricsListener } from "@arena/shared/http/metrics-listener";
import { dependencyOutage } from "@arena/shared/contracts/app-error-mapping";
import { createBackend, type Backend } from "./app.ts";
import type { BackendConfig } from "./config.ts";
import { closeRedis, createBreakers, openRedisCommands, openSessionStore } from "./infrastructure.ts";
import type { IdentityKeyStore } from "./keys/identity-key-store.ts";
import { createLogger } from "./logger.ts";

/** Things the caller may provide instead of having startBackend open them (it then does not close them). */
export interface StartBackendOverrides {
  /** An open database (not migrated here). */
  db?: Database;
  /** A session store (e.g. one shared with an in-process game server). */
  sessions?: SessionStore;
  log?: pino.Logger;
  now?: () => number;
  keys?: IdentityKeyStore;
}

/** A running backend. */
export interface RunningBackend {
  /** Base URL, e.g. http://127.0.0.1:3000. */
  url: string;
  /** http://METRICS_HOST:port/metrics when METRICS_PORT is set. */
  metricsUrl?: string;
  backend: Backend;
  server: http.Server;
  db: Database;
  sessions: SessionStore;
  /** Stops accepting requests, closes components, then what startBackend opened (PGlite lock released). */
  close(): Promise<void>;
}

/**
 * Opens what the config asks for (PGlite under DATA_DIR/pglite or PostgreSQL; the Redis
 * connection and session store of infrastructure.ts), migrates, composes the backend and
 * listens on HOST:PORT.
 */
export async function startBackend(config: BackendConfig, overrides: StartBackendOverrides = {}): Promise<RunningBackend> {
  const log = overrides.log ?? createLogger(config);
  const breakers = createBreakers(config);
  const db =
    overrides.db ??
    (await openDatabase({
      url: config.DATABASE_URL,
      dataDir: path.join(config.DATA_DIR, "pglite"),
      timeouts: { connectMs: config.DB_CONNECT_TIMEOUT, queryMs: config.DB_QUERY_TIMEOUT },
      guard: (checkout) => breakers.db.run(checkout, (err) => dependencyOutage(err) !== null),
    }));
  const opened: Array<() => Promise<void>> = overrides.db ? [] : [() => db.close()];
  const closeOpened = async () => {
    for (const close of opened.reverse()) await close().catch((err: unknown) => log.error({ err }, "close failed"));
  };
  try {
    if (!overrides.db) {
      const result = await db.migrate();
      if (result.applied.length) log.info({ applied: result.applied }, "migrations applied");
    }
    const redis = openRedisCommands(config.REDIS_URL, config, breakers.redis);
    if (redis) opened.push(() => closeRedis(redis));
    const sessions = overrides.sessions ?? openSessionStore(config, redis);
    if (!overrides.sessions) opened.push(() => sessions.close());
    const backend = await createBackend({
      config, db, sessions, redisUrl: config.REDIS_URL, redis, log, now: overrides.now, keys: overrides.keys,
      breakers: { db: overrides.db ? undefined : breakers.db, redis: breakers.redis },
    });
    const server = http.createServer(backend.app);
    backend.attach(server);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.PORT, config.HOST, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const metrics: MetricsListener | undefined =
      config.METRICS_PORT === undefined ? undefined : await listenMetrics({ host: config.METRICS_HOST, port: config.METRICS_PORT, render: backend.renderMetrics });
    if (metrics) opened.push(() => metrics.close());
    const { port } = server.address() as AddressInfo;
    const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "127.0.0.1" : config.HOST;
    const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    let closing: Promise<void> | undefined;
    return {
      url,
      metricsUrl: metrics?.url,
      backend,
      server,
      db,
      sessions,
      close: () =>
        (closing ??= (async () => {
          const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeIdleConnections();
          await backend.close();
          server.closeAllConnections();
          await stopped;
          await closeOpened();
        })()),
    };
  } catch (err) {
    await closeOpened();
    throw err;
  }
}
