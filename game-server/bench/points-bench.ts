// npm run bench:points — point events validated per second on one process, and the point
// round trip through a real room with real @colyseus/sdk clients. Prints figures only.
import { randomUUID } from "node:crypto";
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  acceptPoint,
  createSession,
  DEFAULT_GAME_SETTINGS,
  startSession,
  validateSubmission,
  type GameSession,
} from "@arena/shared/rules/index";
import { createRoomGameTokens } from "../src/game/room-game-tokens.ts";
import { GameController, type PlayerClient } from "../src/game/game-controller.ts";
import { createRoom, playerTicket, startTestServer, type TestServer } from "../test/test-server.ts";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const seconds = arg("seconds", 5);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** 1. The pure rule + point token path: acceptPoint on realistic sessions, then validateSubmission. */
function pureBench() {
  const tokens = createRoomGameTokens();
  const settings = { ...DEFAULT_GAME_SETTINGS, durationMs: 3_600_000 };
  const perSession = 150;
  const finished: GameSession[] = [];
  let points = 0;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  while (performance.now() < deadline) {
    let now = 1_800_000_000_000;
    const started = startSession(createSession({ id: randomUUID(), player: "42", mode: "classic", seed: points, settings, nowMs: now }), now - 5000, now, tokens);
    if ("reject" in started) throw new Error(started.reject);
    let session = started.session;
    for (let i = 0; i < perSession; i++) {
      now += 150; // under the default burst threshold (8 per 1000 ms)
      const t = session.target!;
      const r = acceptPoint(session, { target: t.index, x: t.x, y: t.y, clientTs: now - 5000 }, now, tokens);
      if ("reject" in r) throw new Error(r.reject);
      session = r.session;
      points++;
    }
    finished.push({ ...session, status: "ended", endedAt: now, endReason: "timer", endToken: tokens.issue({ sid: session.id, player: "42", kind: "end", n: 0 }) });
  }
  const acceptSeconds = (performance.now() - t0) / 1000;
  const v0 = performance.now();
  let validated = 0;
  for (const s of finished) {
    const v = validateSubmission(s, { sessionId: s.id, startToken: s.startToken!, endToken: s.endToken, points: s.points.map((p) => ({ token: p.token, clientTs: p.clientTs })) }, tokens);
    if ("reject" in v) throw new Error(v.reason);
    validated += s.points.length;
  }
  const validateSeconds = (performance.now() - v0) / 1000;
  console.log(`pure acceptPoint + point token: ${fmt(points / acceptSeconds)} points/s (${fmt(points)} points, ${perSession}/session)`);
  console.log(`pure validateSubmission (token open + checks): ${fmt(validated / validateSeconds)} point tokens/s`);
}

/** 2. The room's game logic without the network: GameController.onPoint for 100 players per room. */
function controllerBench() {
  let now = 1_800_000_000_000;
  let points = 0;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  while (performance.now() < deadline) {
    const targets = new Map<string, any>();
    const controller = new GameController<PlayerClient>({
      mode: "classic",
      clock: { setTimeout: () => ({ clear() {} }) },
      settings: { ...DEFAULT_GAME_SETTINGS, durationMs: 3_600_000 },
      results: { submitResult: async () => ({ delivered: false, queued: true, error: "bench" }), submitFlag: async () => ({ delivered: false, queued: true, error: "bench" }) },
      log: { info() {}, warn() {}, error() {} },
      send: (client, type, payload: any) => {
        if (type === "game_started" || type === "point_accepted") targets.set(client.auth!.sub, payload.target);
        else if (type === "point_rejected") throw new Error(payload.code);
      },
      now: () => now,
    });
    const players: PlayerClient[] = Array.from({ length: 100 }, (_, i) => ({ sessionId: `s${i}`, auth: { sub: String(i), nick: `p${i}`, guest: false } }));
    for (const p of players) {
      controller.onJoin(p);
      controller.onGameStart(p, { clientTs: now - 5000 });
    }
    for (let round = 0; round < 150; round++) {
      now += 150;
      for (const p of players) {
        const t = targets.get(p.auth!.sub);
        controller.onPoint(p, { clientTs: now - 5000, target: t.index, x: t.x, y: t.y });
        points++;
      }
    }
    controller.onDispose();
  }
  console.log(`GameController.onPoint (rules + tokens + replies, no network): ${fmt(points / ((performance.now() - t0) / 1000))} points/s`);
}

/** Seats `count` logged-in players (8 per room) and plays a phase from a separate client process. */
async function roomPhase(server: TestServer, label: string, count: number, phase: "closed" | "paced", rate = 0) {
  const seats: { roomId: string; ticket: string }[] = [];
  let roomId = "";
  for (let i = 0; i < count; i++) {
    const me = await server.login();
    if (i % 8 === 0) roomId = (await createRoom(server, me.token, { mode: "classic", maxPlayers: 8 })).roomId;
    seats.push({ roomId, ticket: await playerTicket(server, roomId, me.token) });
  }
  const procs = arg("clientProcs", 1);
  const children = Array.from({ length: procs }, () => fork(fileURLToPath(new URL("./points-bench-clients.ts", import.meta.url)), { execArgv: ["--import", "tsx"] }));
  const next = () => Promise.all(children.map((child) => new Promise<any>((resolve) => child.once("message", resolve))));
  children.forEach((child, i) => child.send({ url: server.url, seats: seats.filter((_, j) => j % procs === i), phase, seconds, rate }));
  await next();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  children.forEach((child) => child.send({ go: true }));
  const results = await next();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const serverCpu = (cpu.user + cpu.system) / 1e6 / wall;
  const elapsed = Math.max(...results.map((r) => r.elapsed));
  const accepted = results.reduce((n, r) => n + r.accepted, 0);
  const rejected = results.reduce((n, r) => n + r.rejected, 0);
  const events = accepted + rejected;
  const rtts = results.flatMap((r) => r.rtts as number[]).sort((a, b) => a - b);
  console.log(
    `${label} (${procs} client process${procs > 1 ? "es" : ""}): ${fmt(events / elapsed)} point events/s validated (${fmt(accepted)} accepted, ${fmt(rejected)} rejected); ` +
      `round trip p50 ${pct(rtts, 50)} ms, p95 ${pct(rtts, 95)} ms, p99 ${pct(rtts, 99)} ms; server CPU ${(serverCpu * 100).toFixed(0)}% of one core ` +
      `(≈ ${fmt(events / elapsed / Math.max(serverCpu, 0.01))} events/s per core)`,
  );
  await Promise.all(children.map((child) => new Promise((r) => child.once("exit", r))));
}

pureBench();
controllerBench();
const server = await startTestServer({
  GAME_DURATION_MS: "3600000",
  BURST_MAX_POINTS: "1000000",
  MAX_MESSAGES_PER_SECOND: "100000",
  LATENCY_ALLOWANCE_MS: "60000",
  MAX_PLAYERS_LIMIT: "16",
  MATCH_COUNTDOWN_MS: "1",
  // every client connects from 127.0.0.1: lift the per-IP socket cap out of the way
  WS_CONNECTIONS_PER_IP: "100000",
});
try {
  await roomPhase(server, `room, ${arg("closed", 64)} clients closed loop`, arg("closed", 64), "closed");
  await roomPhase(server, `room, ${arg("paced", 200)} clients × ${arg("rate", 5)} points/s`, arg("paced", 200), "paced", arg("rate", 5));
} finally {
  await server.close();
}
console.log(`(server in this process, clients in a child process; node ${process.version}, ${seconds} s per phase)`);
