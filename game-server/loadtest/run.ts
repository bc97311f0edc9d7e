// `npm run loadtest:join`: runs the @colyseus/loadtest join bot against a game server, then prints
// what the clients measured. Without --endpoint a server is forked here. `npm run loadtest:play`
// hands over to loadtest/play.ts (the game logic's own runner and options).
//   --clients=200     number of clients (16 per room)
//   --timeout=120     seconds to wait for every client
//   --hold=2          seconds to keep everyone connected at the end
//   --endpoint=URL    an already running server (then --token=<identity JWT> creates the rooms)
// The loadtest draws a terminal UI, so it runs inside `script -qfec … /dev/null` (a pseudo-terminal when piped).
import { fork, spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { signIdentityToken } from "@arena/shared/tokens/identity-token";
import { RedisSessionStore } from "@arena/shared/session/redis-session-store";
import { deleteRedisPrefix } from "../test/redis-cleanup.ts";
import type { LoadtestServerEnv } from "./loadtest-server.ts";

const PER_ROOM = 16;
const scenario = process.argv[2] ?? "join";
const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=").slice(1).join("=");
const clients = Number(option("clients") ?? 200);
const timeoutS = Number(option("timeout") ?? 120);
const holdS = Number(option("hold") ?? 2);
const here = fileURLToPath(new URL(".", import.meta.url));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(): Promise<{ url: string; token: string; stop(): Promise<void> }> {
  const external = option("endpoint");
  if (external) return { url: external.replace(/^ws/, "http"), token: option("token") ?? "", stop: async () => {} };
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const env: LoadtestServerEnv = { pem: publicKey.export({ type: "spki", format: "pem" }) as string, sid: randomUUID(), sub: "31337", prefix: `loadtest:${randomUUID()}:` };
  const token = signIdentityToken({ sub: env.sub, nick: "loadtester", sid: env.sid, role: "player" }, { kid: "loadtest", privateKey }, { issuer: "arena-backend", audience: "arena", ttlSeconds: 3600 });
  const redisUrl = process.env.REDIS_URL || undefined;
  const sessions = redisUrl ? new RedisSessionStore(redisUrl, `${env.prefix}session:`) : undefined;
  await sessions?.put(env.sid, { userId: env.sub, expiresAt: Date.now() + 3_600_000 });
  const child: ChildProcess = fork(join(here, "loadtest-server.ts"), [], { execArgv: ["--import", "tsx"], env: { ...process.env, LOADTEST_SERVER: JSON.stringify(env) } });
  const url = await new Promise<string>((resolve, reject) => {
    // tsx may use the IPC channel too: wait for the message that carries the URL.
    child.on("message", (m: { url?: string }) => m?.url && resolve(m.url));
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    url,
    token,
    stop: async () => {
      child.send("stop");
      await new Promise((resolve) => child.once("exit", resolve));
      await sessions?.close();
      if (redisUrl) await deleteRedisPrefix(redisUrl, env.prefix);
    },
  };
}

async function createRooms(url: string, token: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${url}/rooms`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ mode: "classic", ranked: false, allowGuests: true, maxPlayers: PER_ROOM }),
    });
    if (res.status !== 201) throw new Error(`POST /rooms ${res.status}: ${await res.text()}`);
    ids.push(((await res.json()) as { roomId: string }).roomId);
  }
  return ids;
}

const statLines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : []);

async function main(): Promise<void> {
  const bot = "join-bot.ts";
  const server = await startServer();
  const stats = join(tmpdir(), `loadtest-${scenario}-${process.pid}.stats`);
  const log = join(tmpdir(), `loadtest-${scenario}-${process.pid}.log`);
  rmSync(stats, { force: true });
  try {
    const rooms = await createRooms(server.url, server.token, Math.ceil(clients / PER_ROOM));
    const command = [process.execPath, "--import", "tsx", join(here, bot), "--endpoint", server.url.replace(/^http/, "ws"), "--room", "game", "--numClients", String(clients), "--output", log]
      .map(quote)
      .join(" ");
    const started = Date.now();
    const runner = spawn("script", ["-qfec", command, "/dev/null"], {
      env: { ...process.env, LOADTEST_HTTP: server.url, LOADTEST_ROOMS: rooms.join(","), LOADTEST_PER_ROOM: String(PER_ROOM), LOADTEST_STATS: stats },
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
    });
    const deadline = started + timeoutS * 1000;
    while (statLines(stats).length < clients && Date.now() < deadline && runner.exitCode === null) await sleep(200);
    await sleep(holdS * 1000);
    const lines = statLines(stats);
    try {
      process.kill(-runner.pid!, "SIGTERM");
    } catch {}
    await new Promise((resolve) => (runner.exitCode !== null ? resolve(null) : runner.once("exit", resolve)));
    report(lines, started);
    const summary = existsSync(log) ? readFileSync(log, "utf8").match(/Successful connections: \d+|Failed connections: \d+/g) : null;
    if (summary) console.log(`  @colyseus/loadtest summary: ${summary.join(", ")} (log: ${log})`);
  } finally {
    await server.stop();
    rmSync(stats, { force: true });
  }
}

function report(lines: string[], started: number): void {
  const ok = lines.filter((l) => l.startsWith("ok ")).map((l) => l.split(" ").slice(1).map(Number));
  const failed = lines.filter((l) => l.startsWith("fail "));
  const tickets = ok.map(([t]) => t).sort((a, b) => a - b);
  const joins = ok.map(([, j]) => j).sort((a, b) => a - b);
  const lastJoin = Math.max(...ok.map(([, , at]) => at), started);
  console.log(`loadtest:${scenario} — ${clients} clients requested, ${ok.length} joined, ${failed.length} failed`);
  if (ok.length) {
    console.log(`  clients/s (ticket + join, one at a time as @colyseus/loadtest connects): ${(ok.length / ((lastJoin - started) / 1000)).toFixed(0)}`);
    console.log(`  ticket p50 ${pct(tickets, 50).toFixed(1)} ms, p95 ${pct(tickets, 95).toFixed(1)} ms; join p50 ${pct(joins, 50).toFixed(1)} ms, p95 ${pct(joins, 95).toFixed(1)} ms`);
  }
  for (const line of failed.slice(0, 5)) console.log(`  ${line}`);
  if (failed.length || ok.length < clients) process.exitCode = 1;
}

/** `play`: loadtest/play.ts under `script` (it draws the loadtest UI), with the remaining arguments. */
async function play(): Promise<void> {
  const command = [process.execPath, "--import", "tsx", join(here, "play.ts"), ...process.argv.slice(3)].map(quote).join(" ");
  const child = spawn("script", ["-qfec", command, "/dev/null"], { stdio: "inherit" });
  process.exitCode = await new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}

function quote(part: string): string {
  return `'${part.replace(/'/g, "'\\''")}'`;
}

if (scenario === "play") await play();
else if (scenario === "join") await main();
else throw new Error(`unknown scenario "${scenario}" (join, play)`);
process.exit();
