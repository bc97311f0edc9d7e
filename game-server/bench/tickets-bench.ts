// npm run bench:tickets — tickets/s (identity verify + session check + sign) and joins/s with
// p50/p95, against a real game server in a child process (Redis when REDIS_URL is set).
// Options: --seconds=5 --concurrency=32 --joins=1000 --join-concurrency=16 --client-procs=1
import "../src/websocket-global.ts";
import { fork, type ChildProcess } from "node:child_process";
import { Agent } from "node:http";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Client, type Room } from "@colyseus/sdk";
import { MemorySessionStore } from "@arena/shared";
import { RedisSessionStore } from "@arena/shared/session/redis-session-store";
import { signIdentityToken } from "@arena/shared/tokens/identity-token";
import { deleteRedisPrefix } from "../test/redis-cleanup.ts";
import { loadConfig } from "../src/config.ts";
import { createIdentityAuth } from "@arena/shared/tokens/identity-auth";
import { pemKeyResolver } from "../src/identity/identity-keys.ts";
import { startGameServer } from "../src/server.ts";
import { GuestNameStore } from "../src/stores/guest-name-store.ts";
import { MemoryLeaseStore } from "../src/stores/memory-lease-store.ts";
import { RedisLeaseStore } from "../src/stores/redis-lease-store.ts";
import { PresenceStore } from "../src/stores/presence-store.ts";
import { RoomKeyStore } from "../src/stores/room-key-store.ts";
import { TicketService } from "../src/tickets/ticket-service.ts";
import { keepAliveCall } from "./keepalive-request.ts";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => `${n.toFixed(1)} ms`;
const REDIS_URL = process.env.REDIS_URL || undefined;

interface ServeEnv {
  pem: string;
  sid: string;
  sub: string;
  prefix: string;
}

/** Child mode: the game server under test, with the bench's identity key and session. */
async function serve(env: ServeEnv): Promise<void> {
  const config = loadConfig({ PORT: "0", LOG_LEVEL: "warn", REDIS_URL, REDIS_KEY_PREFIX: env.prefix, MAX_PLAYERS_LIMIT: "16", IDENTITY_PUBLIC_KEY: env.pem });
  const sessions = REDIS_URL ? undefined : new MemorySessionStore();
  await sessions?.put(env.sid, { userId: env.sub, expiresAt: Date.now() + 3_600_000 });
  const running = await startGameServer(config, { sessions });
  process.send!({ url: running.url });
  let mark = process.cpuUsage();
  process.on("message", (m) => {
    if (m === "mark") mark = process.cpuUsage();
    else if (m === "cpu") {
      const used = process.cpuUsage(mark);
      process.send!({ cpuMs: (used.user + used.system) / 1000 });
    } else if (m === "stop") void running.close().then(() => process.exit(0));
  });
}

/** 1. In-process: the ticket path alone (ES256 verify + session lookup + presence check + HS256 sign). */
async function serviceBench(seconds: number, concurrency: number, pem: string, token: string, sid: string, sub: string) {
  const prefix = `bench:${randomUUID()}:`;
  const leases = REDIS_URL ? new RedisLeaseStore(REDIS_URL, prefix) : new MemoryLeaseStore();
  const sessions = REDIS_URL ? new RedisSessionStore(REDIS_URL, `${prefix}session:`) : new MemorySessionStore();
  await sessions.put(sid, { userId: sub, expiresAt: Date.now() + 3_600_000 });
  const keys = new RoomKeyStore(leases, 600_000);
  await keys.create("room");
  const tickets = new TicketService({
    identity: createIdentityAuth({ keys: pemKeyResolver(pem), sessions, issuer: "arena-backend", audience: "arena" }),
    rooms: { find: async (roomId) => ({ roomId, code: "ABCDEF", mode: "classic", ranked: false, allowGuests: true, maxPlayers: 16, clients: 0 }) },
    keys,
    presence: new PresenceStore(leases, 30_000),
    nicknames: new GuestNameStore(leases),
    issuer: "arena-game-server",
    audience: "arena",
    ttlSeconds: 600,
    clockSkewSeconds: 30,
  });
  let issued = 0;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() - t0 < seconds * 1000) {
        await tickets.issueForPlayer("room", token);
        issued++;
      }
    }),
  );
  const rate = issued / ((performance.now() - t0) / 1000);
  const used = process.cpuUsage(cpu);
  await Promise.all([leases.close(), sessions.close()]);
  if (REDIS_URL) await deleteRedisPrefix(REDIS_URL, prefix);
  return { rate, cpuMs: (used.user + used.system) / 1000 / issued };
}

/** 2. Over HTTP: POST /getTicket with `concurrency` requests in flight on keep-alive connections. */
async function httpTicketBench(url: string, roomId: string, token: string, seconds: number, concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const start = performance.now();
        const res = await keepAliveCall(agent, url, "POST", `/getTicket/${roomId}`, { authorization: `Bearer ${token}` }, "{}");
        if (res.status !== 200) throw new Error(`getTicket ${res.status}: ${res.text}`);
        latencies.push(performance.now() - start);
      }
    }),
  );
  const rate = latencies.length / ((performance.now() - t0) / 1000);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rate, p50: pct(latencies, 50), p95: pct(latencies, 95) };
}

/** 3. Joins: `total` guests with tickets fetched first, then joinById from `procs` client processes. */
async function joinBench(url: string, token: string, total: number, concurrency: number, procs: number, onGo: () => void) {
  const perRoom = 16;
  const roomIds: string[] = [];
  for (let i = 0; i < Math.ceil(total / perRoom); i++) {
    const res = await fetch(`${url}/rooms`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ mode: "classic", ranked: false, allowGuests: true, maxPlayers: perRoom }),
    });
    roomIds.push(((await res.json()) as { roomId: string }).roomId);
  }
  const tickets: Array<[string, string]> = [];
  for (let i = 0; i < total; i++) {
    const roomId = roomIds[Math.floor(i / perRoom)];
    const res = await fetch(`${url}/getTicket/${roomId}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: `bench${i}` }) });
    tickets.push([roomId, ((await res.json()) as { ticket: string }).ticket]);
  }
  const workers = Array.from({ length: procs }, () => fork(fileURLToPath(import.meta.url), ["--join-worker"], { execArgv: ["--import", "tsx"] }));
  const reply = <T>(worker: ChildProcess, key: string) => new Promise<T>((resolve) => worker.on("message", (m: Record<string, unknown>) => m?.[key] !== undefined && resolve(m[key] as T)));
  const ready = workers.map((worker) => reply<boolean>(worker, "ready"));
  workers.forEach((worker, i) => worker.send({ url, concurrency: Math.max(1, Math.round(concurrency / procs)), tickets: tickets.filter((_, j) => j % procs === i) }));
  await Promise.all(ready);
  const done = workers.map((worker) => reply<JoinWorkerResult>(worker, "result"));
  onGo();
  workers.forEach((worker) => worker.send("go"));
  const results = await Promise.all(done);
  await Promise.all(workers.map((worker) => new Promise((resolve) => (worker.once("exit", resolve), worker.send("leave")))));
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const elapsed = (Math.max(...results.map((r) => r.endedAt)) - Math.min(...results.map((r) => r.startedAt))) / 1000;
  return { rate: latencies.length / elapsed, p50: pct(latencies, 50), p95: pct(latencies, 95), n: latencies.length, failed: results.reduce((n, r) => n + r.failed, 0) };
}

interface JoinWorkerResult {
  latencies: number[];
  failed: number;
  startedAt: number;
  endedAt: number;
}

/** Client process: joins its share of tickets with `concurrency` in flight when told "go". */
function joinWorker(): void {
  const rooms: Room[] = [];
  let job: { url: string; concurrency: number; tickets: Array<[string, string]> };
  process.on("message", async (message: unknown) => {
    if (message === "leave") {
      await Promise.all(rooms.map((room) => room.leave().catch(() => {})));
      process.exit(0);
    } else if (message === "go") {
      const latencies: number[] = [];
      let failed = 0;
      let next = 0;
      const startedAt = performance.timeOrigin + performance.now();
      await Promise.all(
        Array.from({ length: job.concurrency }, async () => {
          while (next < job.tickets.length) {
            const [roomId, ticket] = job.tickets[next++];
            const client = new Client(job.url);
            client.auth.token = ticket;
            const start = performance.now();
            try {
              const room = await client.joinById(roomId);
              latencies.push(performance.now() - start);
              room.onMessage("*", () => {});
              rooms.push(room);
            } catch (err) {
              if (failed++ === 0) console.error(`join failed: ${(err as { code?: number }).code} ${(err as Error).message}`);
            }
          }
        }),
      );
      process.send!({ result: { latencies, failed, startedAt, endedAt: performance.timeOrigin + performance.now() } satisfies JoinWorkerResult });
    } else if (typeof message === "object" && message && "tickets" in message) {
      job = message as typeof job;
      process.send!({ ready: true });
    }
  });
}

async function main(): Promise<void> {
  const seconds = arg("seconds", 5);
  const concurrency = arg("concurrency", 32);
  const joins = arg("joins", 1000);
  const joinConcurrency = arg("join-concurrency", 16);
  const clientProcs = arg("client-procs", 1);
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const pem = publicKey.export({ type: "spki", format: "pem" }) as string;
  const sid = randomUUID();
  const sub = "4242";
  const token = signIdentityToken({ sub, nick: "bencher", sid, role: "player" }, { kid: "bench", privateKey }, { issuer: "arena-backend", audience: "arena", ttlSeconds: 3600 });
  const prefix = `bench:${randomUUID()}:`;

  console.log(`bench:tickets — node ${process.version}, ${REDIS_URL ? "Redis" : "embedded (memory)"} stores`);
  const service = await serviceBench(seconds, concurrency, pem, token, sid, sub);
  console.log(
    `tickets, in-process service (ES256 verify + session + presence + HS256 sign, ${concurrency} in flight): ` +
      `${fmt(service.rate)}/s on one core, ${service.cpuMs.toFixed(3)} ms CPU each`,
  );

  const redisSessions = REDIS_URL ? new RedisSessionStore(REDIS_URL, `${prefix}session:`) : undefined;
  await redisSessions?.put(sid, { userId: sub, expiresAt: Date.now() + 3_600_000 });
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ["--serve"], {
    execArgv: ["--import", "tsx", ...(process.env.BENCH_PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof2"] : [])],
    env: { ...process.env, BENCH_SERVE: JSON.stringify({ pem, sid, sub, prefix } satisfies ServeEnv) },
  });
  // tsx may use the IPC channel too: wait for the message that carries the URL.
  const url = await new Promise<string>((resolve) => child.on("message", (m: { url?: string }) => m?.url && resolve(m.url)));
  try {
    const setup = await fetch(`${url}/rooms`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ mode: "classic", ranked: false, allowGuests: true, maxPlayers: 16 }),
    });
    const { roomId } = (await setup.json()) as { roomId: string };
    const serverCpu = async () => {
      const reply = new Promise<number>((resolve) => child.on("message", (m: { cpuMs?: number }) => m?.cpuMs !== undefined && resolve(m.cpuMs)));
      child.send("cpu");
      return reply;
    };
    child.send("mark");
    const http = await httpTicketBench(url, roomId, token, seconds, concurrency);
    const ticketCpu = await serverCpu();
    console.log(
      `tickets over HTTP (POST /getTicket, ${concurrency} in flight): ${fmt(http.rate)}/s, p50 ${ms(http.p50)}, p95 ${ms(http.p95)}; ` +
        `server CPU ${(ticketCpu / (http.rate * seconds)).toFixed(3)} ms/ticket ⇒ ${fmt((http.rate * seconds * 1000) / ticketCpu)}/s per server core`,
    );
    const join = await joinBench(url, token, joins, joinConcurrency, clientProcs, () => child.send("mark"));
    const joinCpu = await serverCpu();
    console.log(
      `joins (${join.n} guests, SDK joinById with a ticket, ${joinConcurrency} in flight from ${clientProcs} client process(es)): ` +
        `${fmt(join.rate)}/s, p50 ${ms(join.p50)}, p95 ${ms(join.p95)}${join.failed ? `, ${join.failed} failed` : ""}; ` +
        `server CPU ${(joinCpu / join.n).toFixed(2)} ms/join ⇒ ${fmt((join.n * 1000) / joinCpu)}/s per server core`,
    );
  } finally {
    child.send("stop");
    await new Promise((resolve) => child.once("exit", resolve));
    await redisSessions?.close();
    if (REDIS_URL) await deleteRedisPrefix(REDIS_URL, prefix);
  }
}

if (process.argv.includes("--join-worker")) joinWorker();
else if (process.argv.includes("--serve")) await serve(JSON.parse(process.env.BENCH_SERVE!) as ServeEnv);
else await main().then(() => process.exit(0), (err) => (console.error(err), process.exit(1)));
