// npm run bench:ratios — each hot path of the project beside a bare baseline of the same stack,
// same process layout (server in a child process, the same load generator in another), repeated;
// prints medians and ratios (project ÷ baseline; for latency and CPU the inverse, so below 1 always
// means the project is slower). Options: --repeats=3 --sockets=1000,5000,10000 --seconds=5
// --joins=400 --clients=64 --only=fanout,scoreboard,points,joins,scores --write --smoke
// --cpu-prof=<pair> (CPU-profile the project server of that pair during its load, into
// bench/profiles/; summarise with bench/cpu-profile-summary.ts).
import { execFileSync, fork } from "node:child_process";
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import WebSocket from "ws";
import { signIdentityToken } from "@arena/shared/tokens/identity-token";
import { periodKeys } from "../backend/src/leaderboard/period-keys.ts";
import { benchDir, runChild, startServer, type ServerHandle } from "./bench-children.ts";
import { ECHO_ROOM } from "./baselines/colyseus-echo.ts";
import { pgbenchScript } from "./baselines/score-sql.ts";
import type { ClientJob, ClientResult } from "./ratios-clients.ts";

const argv = process.argv.slice(2);
const opt = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const smoke = argv.includes("--smoke");
const repeats = Number(opt("repeats") ?? (smoke ? 1 : 3));
const seconds = Number(opt("seconds") ?? (smoke ? 1 : 5));
const joinsPerRun = Number(opt("joins") ?? (smoke ? 16 : 400));
const pointClients = Number(opt("clients") ?? (smoke ? 4 : 64));
const fanoutRounds = smoke ? 2 : 10;
const profilePair = opt("cpu-prof");
const only = new Set((opt("only") ?? "fanout,scoreboard,points,joins,scores").split(","));
const DATABASE_URL = process.env.DATABASE_URL || undefined;

/** Open files a process may hold; each socket is one in the client and one in the server process. */
function socketCounts(): number[] {
  const wanted = (opt("sockets") ?? (smoke ? "20" : "1000,5000,10000")).split(",").map(Number);
  const limit = Number(execFileSync("sh", ["-c", "ulimit -n"]).toString().trim()) || Infinity;
  const cap = limit - 500;
  if (wanted.some((n) => n > cap)) console.log(`ulimit -n is ${limit}: fan-out capped at ${cap} sockets (raise it with \`ulimit -n 30000\` to measure more).`);
  return [...new Set(wanted.map((n) => Math.min(n, cap)))];
}

interface Row {
  path: string;
  metric: string;
  unit: string;
  higherIsBetter: boolean;
  project: number[];
  baseline: number[];
  /** Why the row has no figures. */
  skipped?: string;
  /** The issue's target for this ratio (met when ratio ≥ target), if it has one. */
  target?: number;
}
const rows: Row[] = [];
const row = (p: string, metric: string, unit: string, higherIsBetter: boolean, target?: number): Row => {
  const r: Row = { path: p, metric, unit, higherIsBetter, project: [], baseline: [], target };
  rows.push(r);
  return r;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
const median = (xs: number[]) => pct(xs, 50);
const ratio = (r: Row) => (r.higherIsBetter ? median(r.project) / median(r.baseline) : median(r.baseline) / median(r.project));

const profileDir = path.join(benchDir, "profiles");
const runClients = (job: ClientJob) => runChild<ClientResult>("ratios-clients.ts", job);

/** Closed-loop point events through solo rooms, with game-server/bench's SDK client process. */
async function runPoints(url: string, seats: { roomId: string; ticket: string }[], onReady: () => void): Promise<{ rate: number; p95: number; events: number }> {
  const child = fork(path.join(benchDir, "../game-server/bench/points-bench-clients.ts"), [], { execArgv: ["--import", "tsx"] });
  const next = () => new Promise<any>((resolve) => child.once("message", resolve));
  child.send({ url, seats, phase: "closed", seconds, rate: 0 });
  await next();
  onReady();
  child.send({ go: true });
  const r = await next();
  await new Promise((resolve) => child.once("exit", resolve));
  return { rate: (r.accepted + r.rejected) / r.elapsed, p95: pct(r.rtts, 95), events: r.accepted + r.rejected };
}

async function postJson(url: string, body: unknown, authorization?: string): Promise<any> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Size of one LEADERBOARD_UPDATE frame of the project, so the bare broadcaster sends as many bytes. */
async function frameBytes(url: string, authorization: string, body: string): Promise<number> {
  const ws = new WebSocket(url.replace(/^http/, "ws") + "/ws/scoreboard");
  const frames: number[] = [];
  await new Promise((resolve) => ws.once("message", resolve));
  ws.on("message", (raw: Buffer) => frames.push(raw.length));
  await postJson(url + "/api/scores", JSON.parse(body.replace("{action_id}", randomUUID())), authorization);
  while (frames.length === 0) await new Promise((r) => setTimeout(r, 20));
  ws.terminate();
  return frames[0];
}

async function fanoutPair(project: ServerHandle): Promise<void> {
  const body = JSON.stringify({ action_id: "{action_id}", action_type: "action_complete", points: 1000 });
  const authorization = `Bearer ${project.tokens[0]}`;
  const bare = await startServer({ kind: "ws", frameBytes: await frameBytes(project.url, authorization, body) });
  try {
    for (const sockets of socketCounts()) {
      const p50 = row(`/ws/scoreboard fan-out, ${sockets.toLocaleString("en-US")} sockets (from the trigger POST; the project's includes its commit)`, "delivery p50", "ms", false);
      // The issue's target is set at 5,000 and 10,000 sockets.
      const p95 = row(p50.path, "delivery p95", "ms", false, sockets >= 5000 ? 0.8 : undefined);
      for (let i = 0; i < repeats; i++) {
        for (const [side, server, trigger] of [["project", project, { path: "/api/scores", authorization, body }], ["baseline", bare, { path: "/broadcast", body: "{}" }]] as const) {
          const r = await server.profiled(() => runClients({ kind: "fanout", url: server.url, sockets, rounds: fanoutRounds, trigger }));
          if (r.errors) console.log(`  ${side}: ${r.errors} deliveries missing at ${sockets} sockets`);
          p50[side].push(pct(r.lat, 50));
          p95[side].push(pct(r.lat, 95));
        }
      }
    }
  } finally {
    await bare.stop();
  }
}

async function scoreboardPair(project: ServerHandle): Promise<void> {
  const body = await (await fetch(project.url + "/api/scoreboard")).text();
  const bare = await startServer({ kind: "express", body });
  const rate = row("GET /api/scoreboard, c=32", "requests/s", "/s", true, 0.8);
  const p95 = row(rate.path, "latency p95", "ms", false);
  try {
    for (let i = 0; i < repeats; i++) {
      for (const [side, server] of [["project", project], ["baseline", bare]] as const) {
        const r = await server.profiled(() => runClients({ kind: "http", url: server.url, method: "GET", path: "/api/scoreboard", concurrency: 32, seconds, authorizations: [], scoreBody: false }));
        rate[side].push(r.rate!);
        p95[side].push(pct(r.lat, 95));
      }
    }
  } finally {
    await bare.stop();
  }
}

/** The embedded backend (PGlite, in-process fan-out) behind both scoreboard pairs, started once. */
async function backendPairs(): Promise<void> {
  const project = await startServer({ kind: "backend", users: 1 }, ["fanout", "scoreboard"].includes(profilePair ?? "") ? profileDir : undefined);
  try {
    if (only.has("fanout")) await fanoutPair(project);
    if (only.has("scoreboard")) await scoreboardPair(project);
  } finally {
    await project.stop();
  }
}

/** The game server under test trusts this key and this one logged-in player (who creates the rooms). */
function gameIdentity() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const sid = randomUUID();
  const sub = "4242";
  const token = signIdentityToken({ sub, nick: "ratios", sid, role: "player" }, { kid: "ratios", privateKey }, { issuer: "arena-backend", audience: "arena", ttlSeconds: 3600 });
  return { job: { kind: "game", pem: publicKey.export({ type: "spki", format: "pem" }) as string, sid, sub } as const, authorization: `Bearer ${token}` };
}

async function roomPairs(): Promise<void> {
  const identity = gameIdentity();
  const project = await startServer(identity.job, ["points", "joins"].includes(profilePair ?? "") ? profileDir : undefined);
  const bare = await startServer({ kind: "colyseus" });
  const createRooms = async (server: ServerHandle, count: number, maxPlayers: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await postJson(server.url + "/rooms", { mode: "classic", ranked: false, allowGuests: true, maxPlayers }, identity.authorization)).roomId);
    return ids;
  };
  try {
    if (only.has("points")) {
      const rate = row(`point events through a room, ${pointClients} clients (solo rooms, closed loop)`, "events/s", "/s", true, 0.7);
      const p95 = row(rate.path, "round trip p95", "ms", false);
      const cpu = row(rate.path, "server CPU per event", "µs", false);
      for (let i = 0; i < repeats; i++) {
        for (const [side, server] of [["project", project], ["baseline", bare]] as const) {
          const seats: { roomId: string; ticket: string }[] = [];
          for (const roomId of await createRooms(server, pointClients, 1)) {
            seats.push({ roomId, ticket: (await postJson(`${server.url}/getTicket/${roomId}`, { username: `p${randomBytes(4).toString("hex")}` })).ticket });
          }
          const r = await server.profiled(() => runPoints(server.url, seats, () => server.mark()));
          rate[side].push(r.rate);
          p95[side].push(r.p95);
          cpu[side].push(((await server.cpuMs()) * 1000) / Math.max(1, r.events));
        }
      }
    }
    if (only.has("joins")) {
      const rate = row("joins (project: guest ticket + joinById; bare: joinOrCreate), 16 in flight", "joins/s", "/s", true);
      const cpu = row(rate.path, "server CPU per join", "ms", false, 0.8);
      for (let i = 0; i < repeats; i++) {
        for (const [side, server] of [["project", project], ["baseline", bare]] as const) {
          const roomIds = side === "project" ? await createRooms(server, Math.ceil(joinsPerRun / 16), 16) : [];
          server.mark();
          const r = await server.profiled(() => runClients({ kind: "joins", url: server.url, joins: joinsPerRun, concurrency: 16, mode: side === "project" ? "ticket" : "joinOrCreate", roomIds, roomName: ECHO_ROOM }));
          if (r.errors) console.log(`  ${side}: ${r.errors} joins failed`);
          rate[side].push(r.rate!);
          cpu[side].push((await server.cpuMs()) / Math.max(1, r.lat.length));
        }
      }
    }
  } finally {
    await Promise.all([project.stop(), bare.stop()]);
  }
}

function pgbenchPath(): string | undefined {
  for (const candidate of ["/usr/lib/postgresql/15/bin/pgbench", "/usr/bin/pgbench"]) if (existsSync(candidate)) return candidate;
  return undefined;
}

async function scoresPair(): Promise<void> {
  const name = `arena_ratios_${randomBytes(4).toString("hex")}`;
  const rate = row("POST /api/scores, c=64, PostgreSQL", "commits/s vs bare Express + pg", "/s", true, 1.5);
  const p95 = row(rate.path, "latency p95 vs bare Express + pg", "ms", false);
  const vsPgbench = row(rate.path, "commits/s vs pgbench (same SQL)", "/s", true, 0.6);
  if (!DATABASE_URL) {
    for (const r of [rate, p95, vsPgbench]) r.skipped = "skipped: DATABASE_URL is not set";
    return;
  }
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  const users = 1000;
  try {
    const project = await startServer({ kind: "backend", databaseUrl: url.href, users }, profilePair === "scores" ? profileDir : undefined);
    const bare = await startServer({ kind: "express-pg", databaseUrl: url.href, periods: periodKeys(Date.now()) });
    const ids = (await (async () => {
      const c = new pg.Client({ connectionString: url.href });
      await c.connect();
      const r = await c.query<{ id: number }>("SELECT id FROM users ORDER BY id");
      await c.end();
      return r.rows.map((x) => x.id);
    })());
    const pgbench = pgbenchPath();
    const dir = mkdtempSync(path.join(os.tmpdir(), "arena-pgbench-"));
    writeFileSync(path.join(dir, "score.sql"), pgbenchScript(users, periodKeys(Date.now())).replace(":uid", `(:uid + ${ids[0] - 1})`));
    try {
      // Warm-up, not measured, both sides alike: a playing client sends many scores with one access
      // token, so every bench user uses its token once first (the project's identity cache then holds it).
      const warmSeconds = smoke ? 1 : 3;
      await runClients({ kind: "http", url: project.url, method: "POST", path: "/api/scores", concurrency: 64, seconds: warmSeconds, authorizations: project.tokens.map((t) => `Bearer ${t}`), scoreBody: true });
      await runClients({ kind: "http", url: bare.url, method: "POST", path: "/api/scores", concurrency: 64, seconds: warmSeconds, authorizations: ids.map((id) => `Bearer ${id}`), scoreBody: true });
      for (let i = 0; i < repeats; i++) {
        const p = await project.profiled(() => runClients({ kind: "http", url: project.url, method: "POST", path: "/api/scores", concurrency: 64, seconds, authorizations: project.tokens.map((t) => `Bearer ${t}`), scoreBody: true }));
        const b = await runClients({ kind: "http", url: bare.url, method: "POST", path: "/api/scores", concurrency: 64, seconds, authorizations: ids.map((id) => `Bearer ${id}`), scoreBody: true });
        rate.project.push(p.rate!), rate.baseline.push(b.rate!);
        p95.project.push(pct(p.lat, 95)), p95.baseline.push(pct(b.lat, 95));
        if (!pgbench) continue;
        const out = execFileSync(pgbench, ["-n", "-c", "64", "-j", "2", "-T", String(Math.max(3, seconds)), "-f", path.join(dir, "score.sql"), url.href], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        vsPgbench.project.push(p.rate!);
        // pgbench prints no rate when connecting its 64 clients took the whole run (a loaded box): at least 3 s.
        const tps = /tps = ([\d.]+)/.exec(out)?.[1];
        if (!tps) console.log(`  pgbench printed no rate:\n${out}`);
        vsPgbench.baseline.push(Number(tps));
      }
      if (!pgbench) vsPgbench.skipped = "skipped: pgbench is not installed";
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await Promise.all([project.stop(), bare.stop()]);
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

const fmt = (n: number, unit: string) =>
  Number.isNaN(n) ? "n/a" : unit === "ms" ? `${n.toFixed(n < 10 ? 2 : 1)} ms` : unit === "µs" ? `${n.toFixed(1)} µs` : `${Math.round(n).toLocaleString("en-US")}${unit}`;
const verdict = (r: Row) => (r.target === undefined || r.skipped ? "" : `≥ ${r.target}: ${ratio(r) >= r.target ? "met" : "**not met**"}`);

function table(): string {
  const lines = ["| path | metric | project (median) | baseline (median) | ratio | target | runs |", "|---|---|---|---|---|---|---|"];
  for (const r of rows) {
    if (r.skipped) lines.push(`| ${r.path} | ${r.metric} | ${r.skipped} | | | ${r.target === undefined ? "" : `≥ ${r.target}`} | 0 |`);
    else lines.push(`| ${r.path} | ${r.metric} | ${fmt(median(r.project), r.unit)} | ${fmt(median(r.baseline), r.unit)} | ${ratio(r).toFixed(2)} | ${verdict(r)} | ${r.project.length} |`);
  }
  const judged = rows.filter((r) => r.target !== undefined && !r.skipped);
  lines.push("", `Targets: ${judged.filter((r) => ratio(r) >= r.target!).length} of ${judged.length} met${rows.some((r) => r.target !== undefined && r.skipped) ? " (skipped pairs not counted)" : ""}.`);
  return lines.join("\n");
}

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
const startedAt = new Date();
const loadBefore = load();
const command = `npm run bench:ratios -- ${argv.join(" ")}`.trim();
console.log(`bench:ratios — node ${process.version}, ${repeats} repeat(s), ${seconds} s per run, load average ${loadBefore}`);
if (only.has("fanout") || only.has("scoreboard")) await backendPairs();
if (only.has("points") || only.has("joins")) await roomPairs();
if (only.has("scores")) await scoresPair();
const database = DATABASE_URL ? `PostgreSQL pair on DATABASE_URL ${new URL(DATABASE_URL).host}` : "PostgreSQL pair skipped (DATABASE_URL unset)";
const header = `Command \`${command}\` (${database}), ${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC, Node ${process.version}, load average ${loadBefore} at the start and ${load()} at the end.`;
console.log(`\n${header}\nRatio = project ÷ baseline (latency and CPU inverted): below 1 means the project is slower.\n\n${table()}`);

if (argv.includes("--write")) {
  const docs = path.join(benchDir, "../docs/benchmarks.md");
  const start = "<!-- bench:ratios:start -->";
  const end = "<!-- bench:ratios:end -->";
  const text = readFileSync(docs, "utf8");
  const block = `${start}\n${header}\n\n${table()}\n${end}`;
  writeFileSync(docs, text.includes(start) ? text.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block) : `${text.trimEnd()}\n\n## Ratios against bare baselines\n\n${block}\n`);
  console.log(`written to ${docs}`);
}
