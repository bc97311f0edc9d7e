// npm run bench:scores — score commits, scoreboard reads under write load, and live delivery.
// Run on PostgreSQL with fsync on: DATABASE_URL=postgresql://… REDIS_URL=redis://… npm run bench:scores
// Load generators run in worker threads so they do not share the server's event loop.
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import os from "node:os";
import type { AddressInfo } from "node:net";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { Redis } from "ioredis";
import WebSocket from "ws";
import { openTestDatabase } from "@arena/db/test-database";
import { MemorySessionStore, ScoreboardMessage, type IdentityClaims } from "@arena/shared";
import { RedisSessionStore } from "@arena/shared/session/redis-session-store";
import { signIdentityToken } from "@arena/shared/tokens/identity-token";
import { createBackend } from "../src/app.ts";
import { loadBackendConfig } from "../src/config.ts";
import { createLogger } from "../src/logger.ts";

type Job =
  | { kind: "writers"; url: string; tokens: string[]; concurrency: number; ms: number }
  | { kind: "readers"; url: string; ms: number; path?: string; concurrency?: number }
  | { kind: "sockets"; url: string; n: number };

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms`;

async function runWriters(job: Extract<Job, { kind: "writers" }>): Promise<{ count: number; lat: number[]; errors: number }> {
  const lat: number[] = [];
  let errors = 0;
  const until = performance.now() + job.ms;
  let next = 0;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < until) {
        const token = job.tokens[next++ % job.tokens.length];
        const t0 = performance.now();
        const res = await fetch(job.url + "/api/scores", {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ action_id: randomUUID(), action_type: "action_complete", points: 1 + Math.floor(Math.random() * 100) }),
        });
        await res.arrayBuffer();
        if (res.status === 200) lat.push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  return { count: lat.length, lat, errors };
}

async function runReaders(job: Extract<Job, { kind: "readers" }>): Promise<{ lat: number[] }> {
  const lat: number[] = [];
  const until = performance.now() + job.ms;
  await Promise.all(
    Array.from({ length: job.concurrency ?? 1 }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const res = await fetch(job.url + (job.path ?? "/api/scoreboard"));
        await res.arrayBuffer();
        lat.push(performance.now() - t0);
      }
    }),
  );
  return { lat };
}

async function runSockets(job: Extract<Job, { kind: "sockets" }>): Promise<void> {
  const lat: number[] = [];
  const sockets: WebSocket[] = [];
  for (let i = 0; i < job.n; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, job.n - i) }, () => new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(job.url.replace(/^http/, "ws") + "/ws/scoreboard");
        ws.on("message", (raw) => {
          const msg = JSON.parse(raw.toString());
          if (msg.type === ScoreboardMessage.Snapshot) resolve();
          if (msg.type === ScoreboardMessage.LeaderboardUpdate) lat.push(Date.now() - Date.parse(msg.data.timestamp));
        });
        ws.once("error", reject);
        sockets.push(ws);
      })),
    );
  }
  parentPort!.postMessage({ ready: true });
  parentPort!.once("message", () => {
    for (const ws of sockets) ws.terminate();
    parentPort!.postMessage({ lat });
  });
}

if (!isMainThread) {
  const job = workerData as Job;
  if (job.kind === "writers") parentPort!.postMessage(await runWriters(job));
  else if (job.kind === "readers") parentPort!.postMessage(await runReaders(job));
  else await runSockets(job);
} else {
  await main();
}

/** The backend's Prometheus text (what its metrics listener serves). */
type MetricsSource = { renderMetrics(): Promise<{ body: string }> };

/** p50/p95 (bucket upper bounds) of the backend's commit → last frame written histogram, from its metrics. */
async function broadcastStats(source: MetricsSource, since: Map<string, number>): Promise<string> {
  const text = (await source.renderMetrics()).body;
  const buckets = [...text.matchAll(/^scoreboard_broadcast_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)].map((m) => ({ le: m[1], n: Number(m[2]) - (since.get(m[1]) ?? 0) }));
  for (const b of buckets) since.set(b.le, b.n + (since.get(b.le) ?? 0));
  const total = buckets.find((b) => b.le === "+Inf")?.n ?? 0;
  const at = (q: number) => buckets.find((b) => b.n >= q * total)?.le ?? "?";
  const ms = (le: string) => (le === "+Inf" ? "> 2000" : `≤ ${Number(le) * 1000}`);
  return `  server side, commit → last frame written: p50 ${ms(at(0.5))} ms, p95 ${ms(at(0.95))} ms (${total} broadcasts)`;
}

/** Group-commit figures of the HTTP backend, from its own metrics. */
async function commitStats(source: MetricsSource): Promise<string> {
  const text = (await source.renderMetrics()).body;
  const num = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  const batches = num("score_commit_batch_size_count");
  return `  group commits over HTTP: ${batches} batches, ${(num("score_commit_batch_size_sum") / batches).toFixed(1)} commands per batch on average, ${((num("score_commit_db_seconds_sum") / batches) * 1000).toFixed(1)} ms database time per batch`;
}

function worker<T>(job: Job): { result: Promise<T>; worker: Worker } {
  // Workers do not inherit the tsx loader: register it, then load this file in worker mode.
  const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const w = new Worker(boot, { eval: true, workerData: job });
  return { worker: w, result: new Promise<T>((resolve, reject) => (w.once("message", resolve), w.once("error", reject))) };
}

async function main(): Promise<void> {
  // --phases=service,http,delivery (default: all three)
  const phaseArg = process.argv.find((a) => a.startsWith("--phases="));
  const phases = new Set(phaseArg ? phaseArg.slice(9).split(",") : ["service", "http", "delivery"]);
  const prefix = `bench:${randomBytes(4).toString("hex")}:`;
  const config = loadBackendConfig({
    ...process.env,
    PORT: "0",
    LOG_LEVEL: "warn",
    RATE_LIMIT_PER_USER: "1000000000",
    RATE_LIMIT_GLOBAL: "1000000000",
    SUSPICIOUS_VELOCITY_THRESHOLD: "100000000",
    MANUAL_REVIEW_THRESHOLD: "1000000000",
    WS_CONNECTION_LIMIT: "20000",
    // every watcher connects from 127.0.0.1: lift the per-IP socket cap out of the way
    WS_CONNECTIONS_PER_IP: "100000",
    REDIS_KEY_PREFIX: prefix,
  });
  const log = createLogger(config);
  const db = await openTestDatabase(config.DATABASE_URL);
  const fsync = db.kind === "postgres" ? (await db.sql.query<{ fsync: string }>("SHOW fsync"))[0].fsync : "n/a (PGlite)";
  console.log(`database: ${db.kind} (fsync ${fsync}), rank cache + limits + fan-out: ${config.REDIS_URL ? "Redis" : "in-process / database"}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  const sessions = config.REDIS_URL ? new RedisSessionStore(config.REDIS_URL, `${prefix}session:`) : new MemorySessionStore();

  const USERS = 10_000;
  const ids = (await db.sql.query<{ id: number }>(
    "INSERT INTO users (username, password_hash) SELECT 'bench_' || g, 'x' FROM generate_series(1, $1) g RETURNING id", [USERS],
  )).map((r) => Number(r.id));

  const backend = await createBackend({ config, db, sessions, redisUrl: config.REDIS_URL, log });
  const server = http.createServer(backend.app);
  backend.attach(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const identities: IdentityClaims[] = [];
  const tokens: string[] = [];
  for (const id of ids) {
    const sid = randomBytes(16).toString("base64url");
    await sessions.put(sid, { userId: String(id), expiresAt: Date.now() + 3_600_000 });
    const token = signIdentityToken({ sub: String(id), nick: `bench_${id}`, sid, role: "player" }, backend.keys.signing, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds: 3600 });
    tokens.push(token);
    identities.push({ sub: String(id), nick: `bench_${id}`, sid, role: "player", iss: config.JWT_ISSUER, aud: config.JWT_AUDIENCE, typ: "identity", iat: 0, exp: 0 });
  }

  // 1) The backend's score service itself (rate limits + durable group commit + rank + fan-out), no HTTP.
  const direct = backend.scores;
  let n = 0;
  const oneUpdate = async () => {
    const identity = identities[n++ % identities.length];
    await direct.admit(identity);
    await direct.submitClientAction(identity, { action_id: randomUUID(), action_type: "action_complete", points: 1 + (n % 100) });
  };
  for (const concurrency of [1, 64]) {
    const ms = 5_000;
    if (!phases.has("service")) break;
    const lat: number[] = [];
    const until = performance.now() + ms;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const s = performance.now();
        await oneUpdate();
        lat.push(performance.now() - s);
      }
    }));
    const secs = (performance.now() - t0) / 1000;
    console.log(`score service, c=${concurrency}: ${Math.round(lat.length / secs)} durable commits/s, ${fmt(lat)}`);
  }

  // 2) End to end over HTTP (JWT + session check + everything above), load from a worker thread.
  if (phases.has("http")) {
    const base = worker<{ lat: number[] }>({ kind: "readers", url, ms: 3_000, path: "/health", concurrency: 64 });
    const { lat } = await base.result;
    console.log(`HTTP stack ceiling (GET /health, c=64, same load generator): ${Math.round(lat.length / 3)} req/s, ${fmt(lat)}`);
    await base.worker.terminate();
  }
  for (const concurrency of [1, 64]) {
    if (!phases.has("http")) break;
    const ms = 5_000;
    const writers = worker<{ count: number; lat: number[]; errors: number }>({ kind: "writers", url, tokens, concurrency, ms });
    const readers = concurrency === 64 ? worker<{ lat: number[] }>({ kind: "readers", url, ms: ms - 500 }) : undefined;
    const w = await writers.result;
    console.log(`POST /api/scores, c=${concurrency}: ${Math.round(w.count / (ms / 1000))} commits/s, ${fmt(w.lat)}${w.errors ? `, ${w.errors} errors` : ""}`);
    if (readers) {
      const r = await readers.result;
      console.log(`GET /api/scoreboard during the c=64 write load: ${fmt(r.lat)} (${r.lat.length} reads)`);
    }
    await writers.worker.terminate();
    if (readers) await readers.worker.terminate();
  }
  if (phases.has("http")) console.log(await commitStats(backend));

  // 3) Commit-to-client delivery of LEADERBOARD_UPDATE to N watchers (clients in a worker thread).
  const seen = new Map<string, number>();
  if (phases.has("delivery")) await broadcastStats(backend, seen);
  for (const clients of [1_000, 5_000]) {
    if (!phases.has("delivery")) break;
    const sockets = worker<{ ready: true }>({ kind: "sockets", url, n: clients });
    await sockets.result;
    const leader = tokens[clients / 1000];
    for (let i = 0; i < 40; i++) {
      const res = await fetch(url + "/api/scores", {
        method: "POST",
        headers: { authorization: `Bearer ${leader}`, "content-type": "application/json" },
        body: JSON.stringify({ action_id: randomUUID(), action_type: "action_complete", points: 1000 }),
      });
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 500));
    const done = new Promise<{ lat: number[] }>((resolve) => sockets.worker.once("message", resolve));
    sockets.worker.postMessage("stop");
    const { lat } = await done;
    console.log(`delivery to ${clients} WebSocket clients: ${fmt(lat)} (${lat.length} messages; from the commit's timestamp, taken before the transaction)`);
    console.log(await broadcastStats(backend, seen));
    await sockets.worker.terminate();
  }

  await finish();
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);

  async function finish(): Promise<void> {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await backend.close();
    await sessions.close();
    await db.close();
    if (config.REDIS_URL) {
      const redis = new Redis(config.REDIS_URL);
      for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 })) if ((keys as string[]).length) await redis.unlink(...(keys as string[]));
      redis.disconnect();
    }
  }
}
