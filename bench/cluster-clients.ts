// Load generator of bench/cluster.ts, run inside the "clients" namespace (its own host).
// Players register and log in against the backends (player i → backend i mod B), create
// rooms and take tickets through the game servers (room r → game server r mod G, player i's
// ticket and join through game server i mod G: any server tickets any room, and the seat
// reservation's public address sends the WebSocket to the process that hosts the room), then
// play whole matches. Scoreboard watchers on every backend count LEADERBOARD_UPDATEs.
// IPC: { ready: urls } → { ready: true }; { phase: PhaseJob } → { result: PhaseResult }; "stop".
import "../game-server/src/websocket-global.ts";
import { Client, type Room } from "@colyseus/sdk";
import WebSocket from "ws";
import { Board, ClientMessage, Period, ScoreboardMessage, ServerMessage } from "@arena/shared";
import { BenchPlayer } from "../game-server/bench/bench-player.ts";

export interface PhaseJob {
  label: string;
  backends: string[];
  gameServers: string[];
  players: number;
  perRoom: number;
  matches: number;
  /** Points per second each player sends while a game runs. */
  rate: number;
  watchersPerBackend: number;
  /** Usernames are `<prefix><i>`: fresh accounts per phase. */
  userPrefix: string;
}

export interface PhaseResult {
  /** Wall clock (ms since epoch) when play started and when the last match ended. */
  playStart: number;
  playEnd: number;
  matches: number;
  pointsAccepted: number;
  pointsRejected: number;
  resultsSaved: number;
  resultsRejected: number;
  /** Rooms per public address their seats were given (where the room lives). */
  roomsByAddress: Record<string, number>;
  /** Latencies, ms. */
  lat: { login: number[]; ticket: number[]; join: number[]; point: number[]; match: number[]; scoreboard: number[] };
  /** LEADERBOARD_UPDATEs received per backend. */
  updatesByBackend: Record<string, number>;
  errors: Record<string, number>;
}

const PASSWORD = "cluster bench password";
const CONCURRENCY = 8;
const errors: Record<string, number> = {};
const fail = (kind: string) => void (errors[kind] = (errors[kind] ?? 0) + 1);

/** A short error kind: HTTP step + status + code, or the SDK's message without ids. */
function kindOf(step: string, err: unknown): string {
  const message = (err as Error).message ?? String(err);
  if (/seat reservation expired/i.test(message)) return "seat reservation expired";
  return `${step}: ${message.replace(/[0-9a-zA-Z_-]{9,}/g, "…").slice(0, 80)}`;
}

async function post(url: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as any;
  if (!res.ok) throw new Error(`${res.status} ${json.error_code ?? ""}`.trim());
  return json;
}

/** Runs `work(i)` for i < n, `limit` at a time. */
async function pool(n: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await work(next++);
  }));
}

async function timed<T>(into: number[], work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const value = await work();
  into.push(performance.now() - t0);
  return value;
}

function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => (check() ? resolve() : Date.now() > deadline ? reject(new Error("timeout")) : setTimeout(poll, 20));
    poll();
  });
}

async function waitReady(urls: string[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (const url of urls) {
    for (;;) {
      const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`${url} not ready`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function openWatchers(job: PhaseJob, result: PhaseResult): WebSocket[] {
  const sockets: WebSocket[] = [];
  for (const backend of job.backends) {
    result.updatesByBackend[backend] = 0;
    for (let i = 0; i < job.watchersPerBackend; i++) {
      const ws = new WebSocket(backend.replace(/^http/, "ws") + "/ws/scoreboard", { perMessageDeflate: false });
      ws.on("open", () => ws.send(JSON.stringify({ type: ScoreboardMessage.Subscribe, board: Board.Classic, period: Period.AllTime })));
      ws.on("message", (raw) => {
        const msg = JSON.parse(String(raw));
        if (msg.type !== ScoreboardMessage.LeaderboardUpdate) return;
        result.updatesByBackend[backend]++;
        result.lat.scoreboard.push(Date.now() - Date.parse(msg.data.timestamp));
      });
      ws.on("error", (err) => fail(kindOf("scoreboard socket", err)));
      ws.on("close", (code) => (ws as any).expectedClose || fail(`scoreboard closed: ${code}`));
      sockets.push(ws);
    }
  }
  return sockets;
}

interface Seat {
  room: Room;
  host: boolean;
}

/** One seat's rounds: the host starts each match; everyone scores until end_game, submits, waits for the placements. */
async function playSeat(seat: Seat, job: PhaseJob, result: PhaseResult): Promise<void> {
  const { room } = seat;
  const player = new BenchPlayer(room, (accepted, rtt) => {
    if (accepted) result.pointsAccepted++;
    else result.pointsRejected++;
    result.lat.point.push(rtt);
  });
  room.onMessage(ServerMessage.Error, (m: any) => fail(`room error: ${m?.code ?? m?.error_code ?? "?"}`));
  const state = () => room.state as any;
  const beat = () => room.connection.isOpen && room.send(ClientMessage.Heartbeat, { clientTs: Date.now() });
  beat();
  const heartbeat = setInterval(beat, 5_000);
  try {
    for (let r = 0; r < job.matches; r++) {
      const started = player.wait(ServerMessage.GameStarted, 60_000);
      const placed = player.wait(ServerMessage.MatchResults, 120_000);
      const t0 = performance.now();
      if (seat.host) {
        await until(() => state()?.players?.size >= job.perRoom && state().phase === "lobby", 60_000);
        await new Promise((res) => setTimeout(res, 100));
        room.send(ClientMessage.StartMatch, {});
      }
      const outcome = await player.playGame(started, job.rate, 60_000);
      if (outcome.accepted && outcome.saved) result.resultsSaved++;
      if (!outcome.accepted) (result.resultsRejected++, fail("result rejected"));
      await placed;
      if (seat.host) {
        result.matches++;
        result.lat.match.push(performance.now() - t0);
      }
    }
  } catch (err) {
    fail(kindOf("match", err));
  } finally {
    clearInterval(heartbeat);
  }
}

async function runPhase(job: PhaseJob): Promise<PhaseResult> {
  const result: PhaseResult = {
    playStart: 0, playEnd: 0, matches: 0, pointsAccepted: 0, pointsRejected: 0, resultsSaved: 0, resultsRejected: 0,
    roomsByAddress: {}, lat: { login: [], ticket: [], join: [], point: [], match: [], scoreboard: [] }, updatesByBackend: {}, errors,
  };
  for (const key of Object.keys(errors)) delete errors[key];
  errors["seat reservation expired"] = 0;
  const watchers = openWatchers(job, result);
  const tokens: string[] = [];
  await pool(job.players, CONCURRENCY, async (i) => {
    const backend = job.backends[i % job.backends.length];
    const credentials = { username: `${job.userPrefix}${i}`, password: PASSWORD };
    try {
      await post(`${backend}/auth/register`, credentials);
      tokens[i] = (await timed(result.lat.login, () => post(`${backend}/auth/login`, credentials))).access_token;
    } catch (err) {
      fail(kindOf("login", err));
    }
  });
  const roomCount = Math.floor(job.players / job.perRoom);
  const seats: Seat[][] = [];
  await pool(roomCount, CONCURRENCY, async (r) => {
    const first = r * job.perRoom;
    const entry = job.gameServers[r % job.gameServers.length];
    let roomId: string;
    try {
      roomId = (await post(`${entry}/rooms`, { mode: "classic", ranked: true, allowGuests: false, maxPlayers: job.perRoom }, tokens[first])).roomId;
    } catch (err) {
      return fail(kindOf("create room", err));
    }
    const sat: Seat[] = [];
    for (let p = first; p < first + job.perRoom; p++) {
      const via = job.gameServers[p % job.gameServers.length];
      try {
        const { ticket } = await timed(result.lat.ticket, () => post(`${via}/getTicket/${roomId}`, {}, tokens[p]));
        const client = new Client(via);
        client.auth.token = ticket;
        const room = await timed(result.lat.join, () => client.joinById(roomId));
        room.onMessage("*", () => {});
        room.onLeave((code) => code >= 4000 && code !== 4000 && fail(`room left: ${code}`));
        sat.push({ room, host: p === first });
        if (p === first) {
          const address = new URL((room.connection as any).transport?.ws?.url ?? via).host;
          result.roomsByAddress[address] = (result.roomsByAddress[address] ?? 0) + 1;
        }
      } catch (err) {
        fail(kindOf("join", err));
      }
    }
    if (sat.length === job.perRoom) seats.push(sat);
    else await Promise.all(sat.map((seat) => seat.room.leave().catch(() => {})));
  });
  result.playStart = Date.now();
  await Promise.all(seats.flat().map((seat) => playSeat(seat, job, result)));
  result.playEnd = Date.now();
  await new Promise((res) => setTimeout(res, 1000)); // the last commits' scoreboard updates
  for (const ws of watchers) ((ws as any).expectedClose = true), ws.close();
  await Promise.all(seats.flat().map((seat) => seat.room.leave().catch(() => {})));
  return result;
}

process.on("message", async (m: { ready: string[] } | { phase: PhaseJob } | "stop") => {
  if (m === "stop") process.exit(0);
  try {
    if ("ready" in m) {
      await waitReady(m.ready);
      process.send!({ ready: true });
    } else {
      process.send!({ result: await runPhase(m.phase) });
    }
  } catch (err) {
    process.send!({ error: (err as Error).message });
  }
});
