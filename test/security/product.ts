// The product under attack: the real `npm start` launcher as a child process — embedded (one
// process, PGlite) without REDIS_URL, or one backend + one game-server process on PostgreSQL and
// Redis when REDIS_URL (and DATABASE_URL) are set. Started once for the whole security suite.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import type { Database } from "@arena/db";
import { openTestDatabase } from "@arena/db/test-database";
import { deleteRedisPrefix } from "../../game-server/test/redis-cleanup.ts";

export interface Product {
  /** The backend (page and API). */
  backend: string;
  /** The game server. */
  game: string;
  /** The launcher's DATA_DIR (generated keys, monitor password). */
  dataDir: string;
  /** Everything the launcher printed. */
  output(): string;
  /** "embedded" or "multi-process". */
  mode: string;
}

/** Settings the suite depends on (all others are the product's defaults). */
export const SUITE_ENV = { WS_SUBSCRIBE_TIMEOUT: "2", LOG_LEVEL: "warn" } as const;

let started: Promise<Product> | undefined;
let launcher: ChildProcess | undefined;
let db: Database | undefined;
let dataDir: string | undefined;
let prefix: string | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitReady(url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    if (launcher?.exitCode !== null && launcher?.exitCode !== undefined) throw new Error(`the launcher exited (${launcher.exitCode})`);
    if (Date.now() > deadline) throw new Error(`${url} not ready`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The running product (started on first use). */
export function product(): Promise<Product> {
  return (started ??= launch());
}

async function launch(): Promise<Product> {
  const backendPort = await freePort();
  const gamePort = await freePort();
  dataDir = mkdtempSync(path.join(os.tmpdir(), "arena-security-"));
  const redisUrl = process.env.REDIS_URL || undefined;
  if (process.env.DATABASE_URL) db = await openTestDatabase();
  prefix = `sec${Date.now().toString(36)}:`;
  let output = "";
  launcher = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: {
      ...process.env,
      DATABASE_URL: (db as { url?: string } | undefined)?.url ?? "",
      REDIS_URL: redisUrl ?? "",
      REDIS_KEY_PREFIX: prefix,
      DATA_DIR: dataDir,
      PORT: String(backendPort),
      GAME_PORT: String(gamePort),
      GAME_SERVERS: "1",
      ADMIN_PASSWORD: "",
      CORS_ORIGINS: "",
      TRUST_PROXY: "0",
      ...SUITE_ENV,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  launcher.stdout!.on("data", (chunk) => (output += chunk));
  launcher.stderr!.on("data", (chunk) => (output += chunk));
  const backend = `http://127.0.0.1:${backendPort}`;
  const game = `http://127.0.0.1:${gamePort}`;
  await waitReady(`${backend}/readyz`);
  await waitReady(`${game}/healthz`);
  return { backend, game, dataDir, output: () => output, mode: redisUrl ? "multi-process, PostgreSQL + Redis" : "embedded" };
}

// One launcher for every file of the suite; stopped once the whole run is over.
after(async function () {
  this.timeout(30_000);
  if (!started) return;
  if (launcher && launcher.exitCode === null) {
    const exited = new Promise((resolve) => launcher!.once("exit", resolve));
    launcher.kill("SIGTERM");
    await exited;
  }
  await db?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (process.env.REDIS_URL && prefix) await deleteRedisPrefix(process.env.REDIS_URL, prefix);
});
