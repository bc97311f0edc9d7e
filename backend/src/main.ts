// The standalone backend process: config → database (+ migrations) → session store →
// backend → listen. SIGINT/SIGTERM close everything cleanly (PGlite closed, lock released).
import { loadBackendConfig, type BackendConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { startBackend } from "./start-backend.ts";

function configOrExit(): BackendConfig {
  try {
    return loadBackendConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}

const config = configOrExit();
const log = createLogger(config);
const running = await startBackend(config, { log }).catch((err: unknown) => {
  log.fatal({ err }, "backend failed to start");
  process.exit(1);
});
log.info({ url: running.url, database: running.db.kind, sessions: config.REDIS_URL ? "redis" : "memory" }, "backend listening");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
