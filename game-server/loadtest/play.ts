// npm run loadtest:play -- --clients=100 [--games=2] [--duration=5000] [--rate=4] [--perRoom=4] [--summary=file]
// (or: node --import tsx loadtest/play.ts …). @colyseus/loadtest clients play whole matches against a
// game server started in a child process: log in, create/join a room of --perRoom, heartbeat; the
// room's creator (its host) sends start_match once everyone is seated and between rounds; everyone
// scores points at --rate per second until end_game, submits, reads the result; --games rounds.
// Prints a summary.
// The runner draws a terminal UI: under CI or a pipe run it inside `script -qfec "…" /dev/null`.
import { fork } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cli, type Options } from "@colyseus/loadtest";
import { Client, type Room } from "@colyseus/sdk";
import { ClientMessage, ServerMessage } from "@arena/shared";

/** `--name value` or `--name=value` from the command line. */
function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return args[i].includes("=") ? args[i].split("=")[1] : args[i + 1];
}
const argv = { numClients: flag("numClients") ?? flag("clients"), games: flag("games"), duration: flag("duration"), rate: flag("rate"), perRoom: flag("perRoom"), summary: flag("summary") };
const numClients = Number(argv.numClients ?? 50);
const games = Number(argv.games ?? 2);
const durationMs = Number(argv.duration ?? 5000);
const rate = Number(argv.rate ?? 4);
const perRoom = Number(argv.perRoom ?? 4);
const summaryFile = String(argv.summary ?? "loadtest-play-summary.json");

const server = fork(fileURLToPath(new URL("./play-server.ts", import.meta.url)), {
  execArgv: ["--import", "tsx"],
  env: {
    ...process.env,
    PLAY_SERVER_ENV: JSON.stringify({
      GAME_DURATION_MS: String(durationMs),
      MAX_PLAYERS_LIMIT: "16",
      LOG_LEVEL: "silent",
      MATCH_COUNTDOWN_MS: "500",
      MATCH_RESULTS_MS: "300",
      MATCH_SUBMIT_GRACE_MS: "2000",
    }),
  },
  stdio: ["ignore", "ignore", "inherit", "ipc"],
});
const httpUrl = await new Promise<string>((resolve) => server.once("message", (m: any) => resolve(m.url)));
const pendingLogins = new Map<number, (v: { token: string; sub: string }) => void>();
server.on("message", (m: any) => m.login !== undefined && pendingLogins.get(m.login)?.(m));
const login = (id: number) => new Promise<{ token: string; sub: string }>((resolve) => (pendingLogins.set(id, resolve), server.send({ login: id })));

async function post(path: string, body: unknown, token?: string) {
  const res = await fetch(`${httpUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as any;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${json.error_code}`);
  return json;
}

const stats = { games: 0, accepted: 0, saved: 0, rejected: 0, points: 0, pointRejections: 0, errors: 0, rtts: [] as number[], done: 0 };
const rooms = new Map<number, Promise<string>>();

/** Resolves once `check` holds (polled). */
async function until(check: () => boolean) {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

/** One client's whole session: plays `games` rounds in a row (the host starts each), then leaves. */
async function play(room: Room, host: boolean, seatsInRoom: number) {
  let target: any = null;
  let ticker: NodeJS.Timeout | undefined;
  const waiters = new Map<string, (payload: any) => void>();
  const wait = (type: string) => new Promise<any>((resolve) => waiters.set(type, resolve));
  const deliver = (type: string) => (payload: any) => {
    waiters.get(type)?.(payload);
    waiters.delete(type);
  };
  const accepted: { token: string; clientTs: number }[] = [];
  room.onMessage(ServerMessage.Welcome, () => {});
  room.onMessage(ServerMessage.GameStarted, deliver(ServerMessage.GameStarted));
  room.onMessage(ServerMessage.EndGame, deliver(ServerMessage.EndGame));
  room.onMessage(ServerMessage.Result, deliver(ServerMessage.Result));
  room.onMessage(ServerMessage.PointAccepted, (m: any) => {
    stats.points++;
    stats.rtts.push(Date.now() - m.clientTs);
    accepted.push({ token: m.token, clientTs: m.clientTs });
    target = m.target ?? target;
  });
  room.onMessage(ServerMessage.PointRejected, (m: any) => {
    stats.pointRejections++;
    stats.rtts.push(Date.now() - m.clientTs);
  });
  room.onMessage("*", () => {});
  const state = () => room.state as any;
  room.send(ClientMessage.Heartbeat, { clientTs: Date.now() });
  const heartbeat = setInterval(() => room.send(ClientMessage.Heartbeat, { clientTs: Date.now() }), 10_000);
  for (let g = 0; g < games; g++) {
    accepted.length = 0;
    const startedP = wait(ServerMessage.GameStarted);
    if (host) {
      await until(() => state()?.players?.size >= seatsInRoom && state().phase === "lobby");
      await new Promise((r) => setTimeout(r, 200)); // the last joiner's heartbeat lands first
      room.send(ClientMessage.StartMatch, {});
    }
    const started = await startedP;
    target = started.target;
    const endP = wait(ServerMessage.EndGame);
    ticker = setInterval(() => room.send(ClientMessage.Point, { clientTs: Date.now(), target: target.index, x: target.x, y: target.y }), 1000 / rate);
    const end = await endP;
    clearInterval(ticker);
    await new Promise((r) => setTimeout(r, 50)); // let in-flight answers land
    const resultP = wait(ServerMessage.Result);
    room.send(ClientMessage.Submit, { sessionId: started.sessionId, startToken: started.startToken, endToken: end.endToken, points: [...accepted] });
    const result = await resultP;
    stats.games++;
    if (result.accepted) stats.accepted++;
    else stats.rejected++;
    if (result.saved) stats.saved++;
  }
  clearInterval(heartbeat);
  await room.leave();
}

function finish() {
  const rtts = stats.rtts.sort((a, b) => a - b);
  const pct = (p: number) => rtts[Math.min(rtts.length - 1, Math.floor((p / 100) * rtts.length))] ?? 0;
  const summary = {
    clients: numClients,
    gamesPerClient: games,
    durationMs,
    ratePerClient: rate,
    games: stats.games,
    resultsAccepted: stats.accepted,
    resultsQueuedForBackend: stats.saved, // no backend runs in the loadtest: results wait in the outbox
    resultsRejected: stats.rejected,
    pointsAccepted: stats.points,
    pointsRejected: stats.pointRejections,
    errors: stats.errors,
    pointRoundTripMs: { p50: pct(50), p95: pct(95), p99: pct(99) },
  };
  writeFileSync(summaryFile, JSON.stringify(summary, null, 2));
  console.log(`done: ${JSON.stringify(summary)}`);
  // The loadtest UI owns the terminal until exit: print the summary after it has been torn down.
  process.once("exit", () => process.stdout.write(`\nloadtest:play summary (${summaryFile}):\n${JSON.stringify(summary, null, 2)}\n`));
  server.send({ stop: true });
  setTimeout(() => process.exit(stats.errors || stats.rejected ? 1 : 0), 500);
}

async function main(options: Options) {
  const id = options.clientId;
  const me = await login(id);
  const group = Math.floor(id / perRoom);
  const host = !rooms.has(group);
  if (host) rooms.set(group, post("/rooms", { mode: ["classic", "shaky", "steps"][group % 3], ranked: true, allowGuests: false, maxPlayers: perRoom }, me.token).then((r) => r.roomId));
  const roomId = await rooms.get(group)!;
  const { ticket } = await post(`/getTicket/${roomId}`, {}, me.token);
  const client = new Client(httpUrl);
  client.auth.token = ticket;
  const room = await client.joinById(roomId);
  play(room, host, Math.min(perRoom, numClients - group * perRoom))
    .catch((err) => {
      stats.errors++;
      console.error(`client ${id}: ${err?.message ?? err}`);
    })
    .finally(() => ++stats.done === numClients && finish());
}

process.argv.splice(2, process.argv.length, "--endpoint", httpUrl.replace(/^http/, "ws"), "--room", "game", "--numClients", String(numClients));
cli(main);
