// Server child of bench/ratios.ts: starts ONE server (a project app or a bare baseline) from the
// job in BENCH_SERVER, reports { url, ... } over IPC, then answers "mark" (reset the CPU
// counter and the event-loop delay histogram), "cpu" ({ cpuMs } used since the mark), "stats"
// (memory and event-loop delay), "gc" ({ collected }: memory after a forced full GC; needs
// --expose-gc), { snapshot: dir } (writes a V8 heap snapshot there; answers { snapshot: file }), "profile:start" / "profile:stop" (a V8 CPU profile of the load
// window only, written under BENCH_PROFILE_DIR; answers { profiled: file }) and "stop".
import "../game-server/src/websocket-global.ts";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { writeHeapSnapshot } from "node:v8";
import path from "node:path";
import { MemorySessionStore } from "@arena/shared";
import { signIdentityToken } from "@arena/shared/tokens/identity-token";
import { loadBackendConfig } from "../backend/src/config.ts";
import { startBackend } from "../backend/src/start-backend.ts";
import { loadConfig } from "../game-server/src/config.ts";
import { startGameServer } from "../game-server/src/server.ts";
import { startColyseusEcho } from "./baselines/colyseus-echo.ts";
import { startExpressConstant } from "./baselines/express-constant.ts";
import { startExpressPg } from "./baselines/express-pg.ts";
import { startWsBroadcaster } from "./baselines/ws-broadcaster.ts";

/** What to start; the project apps run with embedded stores (no Redis) and limits out of the way. */
export type ServerJob =
  | { kind: "backend"; databaseUrl?: string; users: number }
  | { kind: "game"; pem: string; sid: string; sub: string }
  | { kind: "ws"; frameBytes: number }
  | { kind: "colyseus" }
  | { kind: "express"; body: string }
  | { kind: "express-pg"; databaseUrl: string; periods: string[] };

/** What "stats" answers: memory now and the event-loop delay since the last "mark". */
export interface ServerStats {
  rss: number;
  heapUsed: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

/** What "gc" answers: memory right after a forced full (mark-compact) collection. */
export interface CollectedMemory {
  rss: number;
  heapUsed: number;
  /** Memory of ArrayBuffers and Buffers (socket buffers live there, outside the JS heap). */
  arrayBuffers: number;
  external: number;
}

interface Started {
  url: string;
  /** Bearer tokens of the backend's bench users (backend only). */
  tokens?: string[];
  close(): Promise<void>;
}

async function startBackendChild(job: Extract<ServerJob, { kind: "backend" }>): Promise<Started> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "arena-ratios-"));
  const config = loadBackendConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "error",
    DATA_DIR: dataDir,
    DATABASE_URL: job.databaseUrl,
    RATE_LIMIT_PER_USER: "1000000000",
    RATE_LIMIT_GLOBAL: "1000000000",
    SUSPICIOUS_VELOCITY_THRESHOLD: "100000000",
    MANUAL_REVIEW_THRESHOLD: "1000000000",
    WS_CONNECTION_LIMIT: "30000",
    WS_CONNECTIONS_PER_IP: "100000",
    // The load generator's watchers never send SUBSCRIBE (like the bare server's): keep them open for the whole run.
    WS_SUBSCRIBE_TIMEOUT: "3600",
  });
  const running = await startBackend(config);
  const ids = (await running.db.sql.query<{ id: number }>(
    "INSERT INTO users (username, password_hash) SELECT 'ratios_' || g || '_' || $2, 'x' FROM generate_series(1, $1) g RETURNING id",
    [job.users, randomBytes(3).toString("hex")],
  )).map((r) => Number(r.id));
  const tokens: string[] = [];
  for (const id of ids) {
    const sid = randomBytes(16).toString("base64url");
    await running.sessions.put(sid, { userId: String(id), expiresAt: Date.now() + 3_600_000 });
    tokens.push(signIdentityToken({ sub: String(id), nick: `ratios_${id}`, sid, role: "player" }, running.backend.keys.signing, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds: 3600 }));
  }
  return { url: running.url, tokens, close: async () => (await running.close(), rmSync(dataDir, { recursive: true, force: true })) };
}

async function startGameChild(job: Extract<ServerJob, { kind: "game" }>): Promise<Started> {
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "error",
    REDIS_KEY_PREFIX: `ratios:${randomUUID()}:`,
    IDENTITY_PUBLIC_KEY: job.pem,
    MAX_PLAYERS_LIMIT: "16",
    MATCH_COUNTDOWN_MS: "1",
    WS_CONNECTIONS_PER_IP: "100000",
    // One load generator address takes every ticket, one account creates every room.
    TICKET_RATE_LIMIT: "1000000",
    ROOM_CREATE_RATE_LIMIT: "1000000",
    GAME_DURATION_MS: "3600000",
    BURST_MAX_POINTS: "1000000",
    MAX_MESSAGES_PER_SECOND: "100000",
    LATENCY_ALLOWANCE_MS: "60000",
  });
  const sessions = new MemorySessionStore();
  await sessions.put(job.sid, { userId: job.sub, expiresAt: Date.now() + 3_600_000 });
  const running = await startGameServer(config, { sessions });
  return { url: running.url, close: () => running.close() };
}

async function start(job: ServerJob): Promise<Started> {
  switch (job.kind) {
    case "backend":
      return startBackendChild(job);
    case "game":
      return startGameChild(job);
    case "ws":
      return startWsBroadcaster(job.frameBytes);
    case "colyseus":
      return startColyseusEcho();
    case "express":
      return startExpressConstant(job.body);
    case "express-pg":
      return startExpressPg(job.databaseUrl, job.periods);
  }
}

const job = JSON.parse(process.env.BENCH_SERVER!) as ServerJob;
const started = await start(job);
let profiler: Session | undefined;

async function profile(command: "profile:start" | "profile:stop"): Promise<void> {
  if (command === "profile:start") {
    profiler = new Session();
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.start");
    process.send!({ profiling: true });
    return;
  }
  const { profile } = await profiler!.post("Profiler.stop");
  profiler!.disconnect();
  const dir = process.env.BENCH_PROFILE_DIR!;
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${job.kind}-${process.pid}-${Date.now()}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  process.send!({ profiled: file });
}
let mark = process.cpuUsage();
const lag = monitorEventLoopDelay({ resolution: 5 });
lag.enable();
process.send!({ ready: { url: started.url, tokens: started.tokens } });
process.on("message", (m: string | { snapshot: string }) => {
  if (typeof m === "object" && m.snapshot) {
    mkdirSync(m.snapshot, { recursive: true });
    process.send!({ snapshot: writeHeapSnapshot(path.join(m.snapshot, `${job.kind}-${process.pid}-${Date.now()}.heapsnapshot`)) });
  } else if (m === "gc") {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error("the server child needs --expose-gc for \"gc\"");
    gc();
    const { rss, heapUsed, arrayBuffers, external } = process.memoryUsage();
    process.send!({ collected: { rss, heapUsed, arrayBuffers, external } satisfies CollectedMemory });
  } else if (m === "mark") {
    mark = process.cpuUsage();
    lag.reset();
  } else if (m === "stats") {
    const { rss, heapUsed } = process.memoryUsage();
    process.send!({ stats: { rss, heapUsed, lagP99Ms: lag.percentile(99) / 1e6, lagMaxMs: lag.max / 1e6 } satisfies ServerStats });
  } else if (m === "cpu") {
    const used = process.cpuUsage(mark);
    process.send!({ cpuMs: (used.user + used.system) / 1000 });
  } else if (m === "profile:start" || m === "profile:stop") void profile(m);
  else if (m === "stop") void started.close().finally(() => process.exit(0));
});
