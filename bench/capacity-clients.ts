// Load generator child of bench/capacity.ts: holds idle connections and grows them step by step.
// Players sit in rooms of 4 (created as the game's lobby does) and send a ping every heartbeat;
// viewers open /ws/scoreboard and only listen. Messages: { grow: n } → { grown }, "stop".
import "../game-server/src/websocket-global.ts";
import { Client, type Room } from "@colyseus/sdk";
import WebSocket from "ws";
import { ClientMessage } from "@arena/shared";

export type CapacityJob = { kind: "players"; url: string; authorization: string; heartbeatMs: number } | { kind: "viewers"; url: string };

const SOCKETS_PER_ADDRESS = 50;
const CONCURRENCY = 16;

async function post(url: string, body: unknown, authorization?: string): Promise<any> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

let job: CapacityJob;
const rooms: Room[] = [];
const sockets: WebSocket[] = [];
const timers: NodeJS.Timeout[] = [];
let failed = 0;
/** Failed connections by reason (the error's code and message), reported with each step. */
const reasons: Record<string, number> = {};
const fail = (err: unknown) => {
  failed++;
  const e = err as { name?: unknown; code?: unknown; message?: unknown };
  const reason = `${String(e?.name ?? "Error")} ${e?.code ?? ""} ${String(e?.message ?? err)}`.replace(/\s+/g, " ").trim().slice(0, 120);
  reasons[reason] = (reasons[reason] ?? 0) + 1;
};

async function seatOne(i: number, target: string): Promise<void> {
  const j = job as Extract<CapacityJob, { kind: "players" }>;
  const client = new Client(j.url);
  client.auth.token = (await post(`${j.url}/getTicket/${target}`, { username: `cap${i}` })).ticket;
  const room = await client.joinById(target);
  room.onMessage("*", () => {});
  rooms.push(room);
  const beat = () => room.connection.isOpen && room.send(ClientMessage.Ping, { t: Date.now() });
  timers.push(setTimeout(() => timers.push(setInterval(beat, j.heartbeatMs)), Math.random() * j.heartbeatMs));
}

function openViewer(i: number): Promise<void> {
  const localAddress = `127.0.${1 + Math.floor(i / SOCKETS_PER_ADDRESS / 250)}.${1 + (Math.floor(i / SOCKETS_PER_ADDRESS) % 250)}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(job.url.replace(/^http/, "ws") + "/ws/scoreboard", { localAddress, perMessageDeflate: false });
    ws.once("open", () => resolve());
    ws.once("error", reject);
    sockets.push(ws);
  });
}

async function grow(n: number): Promise<number> {
  const have = () => (job.kind === "players" ? rooms.length : sockets.length);
  let next = have() + failed;
  if (job.kind === "players") {
    const j = job;
    // Rooms fill in order: seat the 4 of a room one after another, rooms in parallel.
    const groups = Math.ceil((n - next) / 4);
    let g = 0;
    const base = next;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (g < groups) {
        const first = base + 4 * g++;
        const roomId = await post(`${j.url}/rooms`, { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 4 }, j.authorization).then((r) => r.roomId as string, () => "");
        for (let i = first; i < Math.min(first + 4, n); i++) await seatOne(i, roomId).catch(fail);
      }
    }));
  } else {
    await Promise.all(Array.from({ length: CONCURRENCY * 4 }, async () => {
      while (next < n) await openViewer(next++).catch(fail);
    }));
  }
  return have();
}

process.on("message", async (m: CapacityJob | { grow: number } | "stop") => {
  if (m === "stop") {
    timers.forEach(clearInterval);
    sockets.forEach((ws) => ws.terminate());
    await Promise.all(rooms.map((room) => room.leave().catch(() => {})));
    process.exit(0);
  } else if ("grow" in m) {
    process.send!({ grown: { open: await grow(m.grow), failed, reasons } });
  } else {
    job = m;
    process.send!({ ready: true });
  }
});
