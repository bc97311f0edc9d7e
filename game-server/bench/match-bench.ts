// npm run bench:match — rooms of players playing whole matches on one game-server process, paired
// with the same number of players each alone in a room (the lone game_start path, as before
// matches) at the same point rate. Prints point round trip p50/p95, server CPU per match, memory
// per room. Options: --rooms=100 --perRoom=4 --rounds=2 --duration=5000 --rate=4 --clientProcs=2
// (client processes; a room's seats stay in one).
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadavg } from "node:os";
import { createRoom, playerTicket, startTestServer, type TestServer } from "../test/test-server.ts";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const rooms = arg("rooms", 100);
const perRoom = arg("perRoom", 4);
const rounds = arg("rounds", 2);
const duration = arg("duration", 5000);
const rate = arg("rate", 4);
const clientProcs = arg("clientProcs", 2);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function phase(server: TestServer, label: string, roomCount: number, seatsPerRoom: number) {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const seats: { roomId: string; ticket: string; host: boolean; perRoom: number }[] = [];
  for (let r = 0; r < roomCount; r++) {
    const creator = await server.login();
    const { roomId } = await createRoom(server, creator.token, { mode: "classic", maxPlayers: seatsPerRoom });
    for (let s = 0; s < seatsPerRoom; s++) {
      const token = s === 0 ? creator.token : (await server.login()).token;
      seats.push({ roomId, ticket: await playerTicket(server, roomId, token), host: s === 0, perRoom: seatsPerRoom });
    }
  }
  const children = Array.from({ length: clientProcs }, () => fork(fileURLToPath(new URL("./match-bench-clients.ts", import.meta.url)), { execArgv: ["--import", "tsx"] }));
  const next = () => Promise.all(children.map((child) => new Promise<any>((resolve) => child.once("message", resolve))));
  const share = (i: number) => seats.filter((_, j) => Math.floor(j / seatsPerRoom) % clientProcs === i);
  children.forEach((child, i) => child.send({ url: server.url, seats: share(i), rounds, rate }));
  await next();
  gc();
  const perRoomBytes = (process.memoryUsage().heapUsed - heap0) / roomCount;
  const cpu0 = process.cpuUsage();
  children.forEach((child) => child.send({ go: true }));
  const results = await next();
  const cpu = process.cpuUsage(cpu0);
  await Promise.all(children.map((child) => new Promise((r) => child.once("exit", r))));
  const result = {
    matches: results.reduce((n, r) => n + r.matches, 0),
    elapsed: Math.max(...results.map((r) => r.elapsed)),
    rtts: results.flatMap((r) => r.rtts as number[]),
  };
  const rtts = result.rtts.sort((a, b) => a - b);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `${label}: ${result.matches} matches in ${result.elapsed.toFixed(1)} s, ${rtts.length} points; point round trip p50 ${pct(rtts, 50)} ms, p95 ${pct(rtts, 95)} ms; ` +
      `server CPU ${(cpuMs / result.matches).toFixed(1)} ms per match (${((cpuMs / 1000 / result.elapsed) * 100).toFixed(0)}% of one core); heap ${(perRoomBytes / 1024).toFixed(1)} KiB per room`,
  );
  return { p50: pct(rtts, 50), p95: pct(rtts, 95) };
}

const server = await startTestServer({
  GAME_DURATION_MS: String(duration),
  MAX_PLAYERS_LIMIT: "16",
  MAX_MESSAGES_PER_SECOND: "1000",
  MATCH_COUNTDOWN_MS: "500",
  MATCH_RESULTS_MS: "200",
  MATCH_SUBMIT_GRACE_MS: "2000",
  // every client connects from 127.0.0.1: lift the per-IP socket cap out of the way
  WS_CONNECTIONS_PER_IP: "100000",
});
try {
  const players = rooms * perRoom;
  const lone = await phase(server, `baseline: ${players} players each alone in a room (game_start)`, players, 1);
  const match = await phase(server, `matches: ${rooms} rooms × ${perRoom} players`, rooms, perRoom);
  console.log(`match / baseline point round trip: p50 ${(match.p50 / Math.max(lone.p50, 1)).toFixed(2)}×, p95 ${(match.p95 / Math.max(lone.p95, 1)).toFixed(2)}×`);
} finally {
  await server.close();
}
console.log(`(${rounds} rounds of ${duration} ms at ${rate} points/s per player, ${clientProcs} client processes; no backend: records wait in the outbox; node ${process.version}; load average ${loadavg().map((l) => l.toFixed(2)).join(" ")})`);
