// `npm start`. Embedded (REDIS_URL unset): backend + game server in this one process, on
// PGlite under ./.data unless DATABASE_URL is set. With REDIS_URL set each app runs as its
// own process: one backend and GAME_SERVERS (default 1) game servers on GAME_PORT, +1, …
import "@arena/game-server/websocket-global";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serviceKeys, startEmbedded } from "./embedded.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

if (!existsSync(path.join(root, "web", "dist", "index.html"))) {
  console.log("building the web page (first start)…");
  const build = spawnSync("npm", ["run", "-s", "-w", "web", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) console.error("web build failed: the page will not be served");
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
  onSignals(() => running.close());
} else {
  const count = Number(process.env.GAME_SERVERS ?? 1);
  const firstPort = Number(process.env.GAME_PORT ?? 2567);
  const backendPort = process.env.PORT ?? "3000";
  const children: ChildProcess[] = [];
  const run = (name: string, entry: string, env: Record<string, string>) => {
    const child = spawn(process.execPath, ["--import", "tsx", entry], { cwd: root, env: { ...process.env, ...env }, stdio: "inherit" });
    child.on("exit", (code, signal) => {
      console.log(`${name} exited (${signal ?? code})`);
      if (!stopping) void stopAll().then(() => process.exit(1));
    });
    children.push(child);
  };
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    await Promise.all(
      children.map((child) =>
        child.exitCode === null ? new Promise((resolve) => { child.once("exit", resolve); child.kill("SIGTERM"); }) : undefined,
      ),
    );
  };
  const keys = await serviceKeys(process.env.DATA_DIR ?? "./.data");
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
    });
  }
  onSignals(stopAll);
}
