// Bare Colyseus 0.18 baseline for the room paths: an echo room that answers the game's own
// message names with one reply of the same shape and size (no rules, no tokens, no state), and
// joinOrCreate. POST /rooms creates a room (as the game server's does) so the same client code
// joins either server by id.
import "../../game-server/src/websocket-global.ts";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { defineRoom, defineServer, LocalDriver, LocalPresence, matchMaker, Room, type Client } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import express from "express";
import { ClientMessage, ServerMessage } from "@arena/shared";

/** Name of the room bare joinOrCreate fills (16 seats, as the project's join bench rooms). */
export const ECHO_ROOM = "echo";
const TARGET = { index: 1, x: 0.4321, y: 0.5678, r: 0.05, expiresAt: 1_800_000_000_000 };
/** A point token of the project's length (HMAC-signed, base64url). */
const TOKEN = "x".repeat(120);

class EchoRoom extends Room {
  override maxClients = 16;
  private n = 0;

  override onCreate(options: { maxClients?: number }): void {
    if (options.maxClients) this.maxClients = options.maxClients;
    const started = (client: Client, clientTs: number) =>
      client.send(ServerMessage.GameStarted, { sessionId: "s", startToken: TOKEN, serverTs: Date.now(), clientTs, target: TARGET });
    this.onMessage(ClientMessage.GameStart, (client: Client, m: { clientTs: number }) => started(client, m.clientTs));
    // The game's clients start a round with start_match after a heartbeat; the echo starts at once.
    this.onMessage(ClientMessage.StartMatch, (client: Client) => started(client, Date.now()));
    this.onMessage(ClientMessage.Heartbeat, () => {});
    this.onMessage(ClientMessage.Ping, (client: Client, m: { t: number }) => client.send(ServerMessage.Pong, { t: m.t, serverTime: Date.now() }));
    this.onMessage(ClientMessage.Point, (client: Client, m: { clientTs: number }) => {
      client.send(ServerMessage.PointAccepted, { token: TOKEN, n: ++this.n, serverTs: Date.now(), clientTs: m.clientTs, score: this.n, target: TARGET });
    });
  }

  override onJoin(client: Client): void {
    client.send(ServerMessage.Welcome, { sessionId: client.sessionId });
  }
}

export async function startColyseusEcho(): Promise<{ url: string; close(): Promise<void> }> {
  const server = defineServer({
    rooms: { [ECHO_ROOM]: defineRoom(EchoRoom) },
    transport: new WebSocketTransport(),
    presence: new LocalPresence(),
    driver: new LocalDriver(),
    gracefullyShutdown: false,
    greet: false,
    express: (app) => {
      app.post("/rooms", express.json(), async (req, res) => {
        const room = await matchMaker.createRoom(ECHO_ROOM, { maxClients: Number(req.body?.maxPlayers) || 1 });
        res.status(201).json({ roomId: room.roomId });
      });
      app.post("/getTicket/:roomId", (_req, res) => void res.json({ ticket: "bare" }));
    },
  });
  await server.listen(0, "127.0.0.1");
  const port = ((server.transport.server as HttpServer).address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, close: () => server.gracefullyShutdown(false) };
}
