// `npm start`. Embedded (REDIS_URL unset): backend + game server in this one process, on
// PGlite under ./.data unless DATABASE_URL is set. With REDIS_URL set each app runs as its
// own process: one backend and GAME_SERVERS (default 1) game servers on GAME_PORT, +1, …,
// supervised: a child that exits is restarted with backoff.
import "@arena/game-server/websocket-global";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gameMetricsPort, monitorPassword, serviceKeys, startEmbedded, withPageOrigins, type MonitorAccess } from "./embedded.ts";
import { Supervisor } from "./supervisor.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

if (!existsSync(path.join(root, "web", "dist", "index.html"))) {
  console.log("building the web page (first start)…");
  const build = spawnSync("npm", ["run", "-s", "-w", "web", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) console.error("web build failed: the page will not be served");
}

/** One line on how to open the monitor: the generated password only on the start that made it. */
function printMonitor(monitor: Omit<MonitorAccess, "url">, urls: string[]): void {
  const where = urls.map((url) => `${url}/colyseus/`).join(", ");
  if (monitor.generated) console.log(`monitor: ${where}  user ${monitor.user}  password ${monitor.password}  (generated now${monitor.file ? `, kept in ${monitor.file}` : ""}; set ADMIN_PASSWORD to choose one)`);
  else if (monitor.file) console.log(`monitor: ${where}  user ${monitor.user}  password in ${monitor.file}`);
  else console.log(`monitor: ${where}  user ${monitor.user}  password from ADMIN_PASSWORD`);
}

function onSignals(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      stop().then(() => process.exit(0), () => process.exit(1));
    });
  }
}

if (!process.env.REDIS_URL) {
  const running = await startEmbedded().catch((err: unknown) => {
    console.error(`startup failed: ${(err as Error).message}`);
    process.exit(1);
  });
  console.log(`backend + web page: ${running.backendUrl}    game server: ${running.gameServerUrl}    (one process)`);
  printMonitor(running.monitor, [running.gameServerUrl]);
  onSignals(() => running.close());
} else {
  const count = Number(process.env.GAME_SERVERS ?? 1);
  if (count > 1 && process.env.PUBLIC_ADDRESS) {
    // One address cannot name several game servers: clients would all be sent to the first.
    console.error("PUBLIC_ADDRESS names one game server; with GAME_SERVERS > 1 start each game server on its own (docs/scaling.md) or unset PUBLIC_ADDRESS");
    process.exit(1);
  }
  const firstPort = Number(process.env.GAME_PORT ?? 2567);
  const backendPort = process.env.PORT ?? "3000";
  // A crashed child is restarted with backoff; SIGTERM/SIGINT stop them all, then this process.
  const supervisor = new Supervisor({ cwd: root, killAfterMs: 8000 });
  const run = (name: string, entry: string, env: Record<string, string>) =>
    supervisor.add({ name, args: ["--import", "tsx", entry], env: { ...process.env, ...env } });
  const dataDir = process.env.DATA_DIR ?? "./.data";
  const keys = await serviceKeys(dataDir);
  const monitor = process.env.ADMIN_PASSWORD ? { password: process.env.ADMIN_PASSWORD, generated: false } : await monitorPassword(dataDir);
  run("backend", "backend/src/main.ts", {
    PORT: backendPort,
    SERVICE_PUBLIC_KEY: process.env.SERVICE_PUBLIC_KEY ?? keys.publicPem,
    ...(count > 0 && firstPort !== 2567 ? { GAME_SERVER_URL: `http://127.0.0.1:${firstPort}` } : {}),
  });
  for (let i = 0; i < count; i++) {
    const port = String(firstPort + i);
    run(`game-server-${i + 1}`, "game-server/src/main.ts", {
      PORT: port,
      PUBLIC_ADDRESS: process.env.PUBLIC_ADDRESS ?? `127.0.0.1:${port}`,
      IDENTITY_JWKS_URL: process.env.IDENTITY_JWKS_URL ?? `http://127.0.0.1:${backendPort}/.well-known/jwks.json`,
      BACKEND_URL: process.env.BACKEND_URL ?? `http://127.0.0.1:${backendPort}`,
      SERVICE_PRIVATE_KEY: process.env.SERVICE_PRIVATE_KEY ?? keys.privatePem,
      ADMIN_PASSWORD: monitor.password,
      ...(process.env.METRICS_PORT ? { METRICS_PORT: gameMetricsPort(process.env.METRICS_PORT, i)! } : {}),
      CORS_ORIGINS: withPageOrigins(process.env.CORS_ORIGINS, `http://${process.env.HOST && process.env.HOST !== "0.0.0.0" ? process.env.HOST : "127.0.0.1"}:${backendPort}`),
    });
  }
  const gameUrls = Array.from({ length: count }, (_, i) => `http://127.0.0.1:${firstPort + i}`);
  printMonitor({ ...monitor, user: process.env.ADMIN_USER ?? "admin" }, gameUrls);
  onSignals(() => supervisor.stop());
}
