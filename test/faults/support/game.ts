// A player in a real game room of the cluster, through the Colyseus SDK as the page uses it.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { Client, type Room } from "@colyseus/sdk";
import pg from "pg";
import { ServerMessage } from "@arena/shared";
import { honestSubmission, Player } from "../../../game-server/test/game-test-kit.ts";
import { call, type LoggedIn } from "./clients.ts";

export interface Seat {
  roomId: string;
  room: Room;
  player: Player;
  /** Base URL of the game server process that hosts the room. */
  hostUrl: string;
}

/** Creates a ranked classic room through `gameUrl` and joins it with a ticket (the room may live on any process). */
export async function seatIn(gameUrl: string, who: LoggedIn): Promise<Seat> {
  const created = await call("POST", `${gameUrl}/rooms`, { mode: "classic", ranked: true, allowGuests: false, maxPlayers: 2 }, who.token);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const ticket = await call("POST", `${gameUrl}/getTicket/${created.body.roomId}`, {}, who.token);
  assert.equal(ticket.status, 200, JSON.stringify(ticket.body));
  const client = new Client(gameUrl);
  client.auth.token = ticket.body.ticket;
  const room = await client.joinById(created.body.roomId);
  const host = new URL((room as unknown as { connection: { url: string } }).connection.url);
  return { roomId: created.body.roomId, room, player: new Player(room), hostUrl: `http://${host.host}` };
}

/** Leaves the room; a room whose server died may never confirm, so this waits at most 2 s. */
export async function leave(seat: Seat): Promise<void> {
  await Promise.race([seat.player.leave(), sleep(2000)]);
  seat.room.removeAllListeners();
}

/** Starts a game and scores `points` honest hits; answers what a submission needs so far. */
export async function playSome(seat: Seat, points = 2) {
  const started = await seat.player.start();
  const accepted = await seat.player.play(started.target, points);
  return { started, accepted };
}

/** Plays a whole short game (GAME_DURATION_MS) and waits for its end; answers the honest submission. */
export async function playToEnd(seat: Seat, points = 2) {
  const { started, accepted } = await playSome(seat, points);
  const ended = await seat.player.next(ServerMessage.EndGame, 20_000);
  return { sessionId: started.sessionId as string, submission: honestSubmission(started, accepted, ended.endToken) };
}

/** How many score_history rows the game session `sessionId` produced (its result_id is the action_id). */
export async function resultRows(databaseUrl: string, sessionId: string): Promise<number> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM score_history WHERE action_id = $1`, [sessionId]);
    return Number(rows[0].n);
  } finally {
    await db.end();
  }
}

/** Waits until the game session's result is stored (the outbox delivers it), then answers its row count. */
export async function awaitResultRows(databaseUrl: string, sessionId: string, timeoutMs = 45_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await resultRows(databaseUrl, sessionId).catch(() => 0);
    if (n > 0 || Date.now() > deadline) return n;
    await sleep(250);
  }
}
