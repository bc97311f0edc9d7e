// Load generator child of bench/ratios.ts: the same code drives a project path and its baseline.
// Receives one job over IPC, answers with raw figures, exits.
import "../game-server/src/websocket-global.ts";
import { randomUUID } from "node:crypto";
import { Agent } from "node:http";
import { Client, type Room } from "@colyseus/sdk";
import WebSocket from "ws";
import { keepAliveCall } from "../game-server/bench/keepalive-request.ts";

export type ClientJob =
  | { kind: "fanout"; url: string; sockets: number; rounds: number; trigger: { path: string; authorization?: string; body: string } }
  | { kind: "joins"; url: string; joins: number; concurrency: number; mode: "ticket" | "joinOrCreate"; roomIds: string[]; roomName: string }
  | { kind: "http"; url: string; method: "GET" | "POST"; path: string; concurrency: number; seconds: number; authorizations: string[]; scoreBody: boolean };

export interface ClientResult {
  /** Latencies (ms) of every delivery, join or request. */
  lat: number[];
  /** Completed operations per second (joins, requests); absent for fan-out. */
  rate?: number;
  errors: number;
}

/** Sockets per loopback source address, so a per-IP cap of the server under test is not what is measured. */
const SOCKETS_PER_ADDRESS = 50;

const fresh = (body: string) => body.replace("{action_id}", randomUUID());

async function fanout(job: Extract<ClientJob, { kind: "fanout" }>): Promise<ClientResult> {
  const wsUrl = job.url.replace(/^http/, "ws") + "/ws/scoreboard";
  const sockets: WebSocket[] = [];
  const waiting = new Map<WebSocket, (at: number) => void>();
  for (let i = 0; i < job.sockets; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, job.sockets - i) }, (_, k) => new Promise<void>((resolve, reject) => {
        const n = i + k;
        const localAddress = `127.0.${1 + Math.floor(n / SOCKETS_PER_ADDRESS / 250)}.${1 + (Math.floor(n / SOCKETS_PER_ADDRESS) % 250)}`;
        const ws = new WebSocket(wsUrl, { localAddress, perMessageDeflate: false });
        ws.once("message", () => {
          ws.on("message", () => waiting.get(ws)?.(performance.now()));
          resolve();
        });
        ws.once("error", reject);
        sockets.push(ws);
      })),
    );
  }
  const agent = new Agent({ keepAlive: true });
  const lat: number[] = [];
  let errors = 0;
  for (let round = 0; round < job.rounds; round++) {
    await new Promise((r) => setTimeout(r, 100));
    const arrivals = sockets.map((ws) => new Promise<number>((resolve) => {
      const timer = setTimeout(() => (waiting.delete(ws), resolve(NaN)), 5_000);
      waiting.set(ws, (at) => (clearTimeout(timer), waiting.delete(ws), resolve(at)));
    }));
    const t0 = performance.now();
    const res = await keepAliveCall(agent, job.url, "POST", job.trigger.path, job.trigger.authorization ? { authorization: job.trigger.authorization } : {}, fresh(job.trigger.body));
    if (res.status >= 300) throw new Error(`fan-out trigger ${res.status}: ${res.text}`);
    for (const at of await Promise.all(arrivals)) {
      if (Number.isNaN(at)) errors++;
      else lat.push(at - t0);
    }
  }
  agent.destroy();
  for (const ws of sockets) ws.terminate();
  return { lat, errors };
}

async function joins(job: Extract<ClientJob, { kind: "joins" }>): Promise<ClientResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const rooms: Room[] = [];
  const lat: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < job.joins) {
        const i = next++;
        const start = performance.now();
        try {
          const client = new Client(job.url);
          let room: Room;
          if (job.mode === "ticket") {
            const roomId = job.roomIds[Math.floor(i / 16)];
            const res = await keepAliveCall(agent, job.url, "POST", `/getTicket/${roomId}`, {}, JSON.stringify({ username: `ratios${i}` }));
            if (res.status !== 200) throw new Error(`getTicket ${res.status}: ${res.text}`);
            client.auth.token = (JSON.parse(res.text) as { ticket: string }).ticket;
            room = await client.joinById(roomId);
          } else {
            room = await client.joinOrCreate(job.roomName);
          }
          lat.push(performance.now() - start);
          room.onMessage("*", () => {});
          rooms.push(room);
        } catch (err) {
          if (errors++ === 0) console.error(`join failed: ${(err as Error).message}`);
        }
      }
    }),
  );
  const rate = lat.length / ((performance.now() - t0) / 1000);
  agent.destroy();
  await Promise.all(rooms.map((room) => room.leave().catch(() => {})));
  return { lat, rate, errors };
}

async function http(job: Extract<ClientJob, { kind: "http" }>): Promise<ClientResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const lat: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const until = t0 + job.seconds * 1000;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < until) {
        const authorization = job.authorizations[next++ % Math.max(1, job.authorizations.length)];
        const body = job.scoreBody ? JSON.stringify({ action_id: randomUUID(), action_type: "action_complete", points: 1 + (next % 100) }) : undefined;
        const start = performance.now();
        const res = await keepAliveCall(agent, job.url, job.method, job.path, authorization ? { authorization } : {}, body);
        if (res.status < 300) lat.push(performance.now() - start);
        else if (errors++ === 0) console.error(`${job.method} ${job.path} ${res.status}: ${res.text.slice(0, 200)}`);
      }
    }),
  );
  const rate = lat.length / ((performance.now() - t0) / 1000);
  agent.destroy();
  return { lat, rate, errors };
}

process.once("message", async (job: ClientJob) => {
  const result = job.kind === "fanout" ? await fanout(job) : job.kind === "joins" ? await joins(job) : await http(job);
  process.send!({ result }, () => process.exit(0));
});
