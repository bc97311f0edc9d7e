// @colyseus/loadtest bot for `npm run loadtest:join`: each client gets a guest ticket over HTTP,
// then joins its room by id with it. One line per client goes to LOADTEST_STATS for run.ts.
import { appendFileSync } from "node:fs";
import { cli } from "@colyseus/loadtest";
import { Client } from "@colyseus/sdk";

const http = process.env.LOADTEST_HTTP!;
const rooms = process.env.LOADTEST_ROOMS!.split(",");
const perRoom = Number(process.env.LOADTEST_PER_ROOM ?? 16);
const stats = process.env.LOADTEST_STATS!;

cli(async (options) => {
  const roomId = rooms[Math.floor(options.clientId / perRoom) % rooms.length];
  const start = performance.now();
  try {
    const res = await fetch(`${http}/getTicket/${roomId}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: `lt${options.clientId}-${Math.random().toString(36).slice(2, 6)}` }),
    });
    const body = (await res.json()) as { ticket?: string; error_code?: string };
    if (!body.ticket) throw new Error(`getTicket ${res.status} ${body.error_code}`);
    const ticketMs = performance.now() - start;
    const client = new Client(options.endpoint);
    client.auth.token = body.ticket;
    const joinStart = performance.now();
    const room = await client.joinById(roomId);
    room.onMessage("*", () => {});
    appendFileSync(stats, `ok ${ticketMs.toFixed(2)} ${(performance.now() - joinStart).toFixed(2)} ${Date.now()}\n`);
  } catch (err) {
    appendFileSync(stats, `fail ${(err as { code?: number }).code ?? 0} ${(err as Error).message.replace(/\s+/g, "_")}\n`);
    throw err;
  }
});
