// Reconnection as users run the product: the real launcher (`npm start`, scripts/start.ts) in
// a child process, embedded and multi-process. A player mid-game loses its socket abruptly
// (terminate(): no close frame, as when a network drops) and must get the same seat, the same
// game session and its points back. The server process must make reconnection work by itself:
// nothing in this test process can help it.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client, type Room } from "@colyseus/sdk";
import type { Database } from "@arena/db";
import { openTestDatabase } from "@arena/db/test-database";
import { ServerMessage } from "@arena/shared";
import { Player } from "../game-server/test/game-test-kit.ts";
import { call, freePort, startLauncher, waitReady, type Launcher } from "./support.ts";

const GAME_ENV = {
  LOG_LEVEL: "warn",
  // Long enough that the game still runs when the player is back.
  GAME_DURATION_MS: "60000",
  RECONNECT_WINDOW: "20",
};

/**
 * Closes the client's TCP connection without a close frame, when the SDK's socket is `ws` (Node
 * without a global WebSocket, or with ours). Node 22's own WebSocket has no terminate(): there the
 * socket is closed with a code that is not a consented leave (4010), which the server also treats
 * as a drop and the SDK also reconnects after.
 */
function dropSocket(room: Room): void {
  const ws = (room.connection.transport as unknown as { ws?: { terminate?: () => void } }).ws;
  if (typeof ws?.terminate === "function") ws.terminate();
  else room.connection.close(4010, "test drop");
}

/** Resolves when the SDK is back in the room; rejects when it leaves instead (e.g. 4003). */
function backOrGone(room: Room, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("neither reconnected nor left in time")), timeoutMs);
    room.onReconnect.once(() => {
      clearTimeout(timer);
      resolve();
    });
    room.onLeave.once((code: number) => {
      clearTimeout(timer);
      reject(new Error(`the room was left with code ${code} instead of a reconnection`));
    });
  });
}

interface Urls {
  backend: string;
  game: string;
}

/** Register, log in, create a room, get a ticket, join, start a game, score; drop; expect it all back. */
async function dropMidGameAndComeBack(urls: Urls, username: string): Promise<void> {
  assert.equal((await call("POST", `${urls.backend}/auth/register`, { username, password: "correct horse battery" })).status, 201);
  const login = await call("POST", `${urls.backend}/auth/login`, { username, password: "correct horse battery" });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const token = login.body.access_token;
  const created = await call("POST", `${urls.game}/rooms`, { mode: "classic", ranked: true, allowGuests: false, maxPlayers: 2 }, token);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const ticket = await call("POST", `${urls.game}/getTicket/${created.body.roomId}`, {}, token);
  assert.equal(ticket.status, 200, JSON.stringify(ticket.body));

  const client = new Client(urls.game);
  client.auth.token = ticket.body.ticket;
  const room = await client.joinById(created.body.roomId);
  const player = new Player(room);
  const seat = room.sessionId;
  const started = await player.start();
  const scored = await player.hit(started.target);
  assert.equal(scored.accepted, true, JSON.stringify(scored));

  room.reconnection.minUptime = 0; // the SDK otherwise gives up on a connection younger than 5 s
  const back = backOrGone(room);
  dropSocket(room);
  await back;

  assert.equal(room.sessionId, seat, "the same seat");
  const resume = await player.next(ServerMessage.Resume, 10_000);
  assert.equal(resume.sessionId, started.sessionId, "the same game session");
  assert.equal(resume.status, "running");
  assert.deepEqual(resume.points.map((p: { token: string }) => p.token), [scored.token], "its points");
  assert.equal(resume.score, 1);
  const next = await player.hit(resume.target);
  assert.deepEqual([next.accepted, next.n], [true, 1], "and the game goes on");
  await player.leave();
}

/** Runs `body`; on failure, appends what the launcher printed (e.g. "WebSocket is not defined"). */
async function withLauncherLog(launcher: Launcher, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (err instanceof Error) err.message += `\n--- launcher output ---\n${launcher.output().slice(-4000)}`;
    throw err;
  }
}

describe("reconnection under `npm start` (embedded, one process)", function () {
  this.timeout(180_000);
  let launcher: Launcher | undefined;
  let dataDir: string;
  let urls: Urls;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "arena-launch-"));
    const [backendPort, gamePort] = [await freePort(), await freePort()];
    launcher = startLauncher({
      ...GAME_ENV,
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      DATA_DIR: dataDir,
      PORT: String(backendPort),
      GAME_PORT: String(gamePort),
    });
    urls = { backend: `http://127.0.0.1:${backendPort}`, game: `http://127.0.0.1:${gamePort}` };
    await withLauncherLog(launcher, async () => {
      await waitReady(`${urls.backend}/readyz`, 150_000); // the first start may build the web page
      await waitReady(`${urls.game}/healthz`);
    });
  });

  after(async () => {
    await launcher?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a player whose socket drops mid-game gets the same seat, game session and points back", async () => {
    await withLauncherLog(launcher!, () => dropMidGameAndComeBack(urls, "drop_embedded"));
  });
});

describe("reconnection under `npm start` with REDIS_URL (one backend + one game-server process)", function () {
  this.timeout(180_000);
  let launcher: Launcher | undefined;
  let db: Database | undefined;
  let dataDir: string;
  let urls: Urls;

  before(async function () {
    if (!process.env.REDIS_URL || !process.env.DATABASE_URL) {
      console.log("    (skipped: the multi-process launcher needs REDIS_URL and DATABASE_URL; CI sets both in its second run)");
      this.skip();
    }
    dataDir = mkdtempSync(path.join(os.tmpdir(), "arena-launch-mp-"));
    db = await openTestDatabase();
    const [backendPort, gamePort] = [await freePort(), await freePort()];
    launcher = startLauncher({
      ...GAME_ENV,
      DATABASE_URL: (db as { url?: string }).url,
      REDIS_URL: process.env.REDIS_URL,
      REDIS_KEY_PREFIX: `rc${Date.now().toString(36)}${process.pid}:`,
      DATA_DIR: dataDir,
      PORT: String(backendPort),
      GAME_PORT: String(gamePort),
      GAME_SERVERS: "1",
    });
    urls = { backend: `http://127.0.0.1:${backendPort}`, game: `http://127.0.0.1:${gamePort}` };
    await withLauncherLog(launcher, async () => {
      await waitReady(`${urls.backend}/readyz`, 150_000);
      await waitReady(`${urls.game}/healthz`);
    });
  });

  after(async () => {
    await launcher?.stop();
    await db?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("a player whose socket drops mid-game gets the same seat, game session and points back", async () => {
    await withLauncherLog(launcher!, () => dropMidGameAndComeBack(urls, "drop_multi"));
  });
});
