// The whole product in one process, as `npm start` runs it: a player registers, logs in,
// creates a room, gets a ticket, plays each mode to the end on the server's clock, submits,
// and finds the saved score on the backend's scoreboard — through the real service path
// (game server → POST /internal/game-results with its service credential → score service).
import assert from "node:assert/strict";
import { Client } from "@colyseus/sdk";
import { GameMode, ServerMessage } from "@arena/shared";
import type { Database } from "@arena/db";
import { openTestDatabase } from "@arena/db/test-database";
import { startEmbedded, type RunningEmbedded } from "../scripts/embedded.ts";
import { honestSubmission, Player } from "../game-server/test/game-test-kit.ts";
import { call } from "./support.ts";

const GAME_ENV = {
  LOG_LEVEL: "silent",
  // Scoreboard caches in a shared Redis must not see other runs' users (ids restart per database).
  REDIS_KEY_PREFIX: `t${Date.now().toString(36)}:`,
  GAME_DURATION_MS: "1500",
  STEPS_COUNT: "3",
  MAX_MESSAGES_PER_SECOND: "1000",
};

describe("the product, end to end", function () {
  let db: Database;
  let app: RunningEmbedded;
  let token: string;
  let userId: string;

  before(async () => {
    db = await openTestDatabase();
    app = await startEmbedded({ env: { ...process.env, ...GAME_ENV }, backendPort: 0, gamePort: 0, dataDir: "memory://", db });
    assert.equal((await call("POST", `${app.backendUrl}/auth/register`, { username: "player_one", password: "correct horse battery" })).status, 201);
    const login = await call("POST", `${app.backendUrl}/auth/login`, { username: "player_one", password: "correct horse battery" });
    assert.equal(login.status, 200);
    token = login.body.access_token;
    userId = String(login.body.user.id);
  });
  after(async () => {
    await app?.close();
    await db?.close();
  });

  async function playOnce(mode: GameMode) {
    const created = await call("POST", `${app.gameServerUrl}/rooms`, { mode, ranked: true, allowGuests: false, maxPlayers: 2 }, token);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const ticket = await call("POST", `${app.gameServerUrl}/getTicket/${created.body.roomId}`, {}, token);
    assert.equal(ticket.status, 200, JSON.stringify(ticket.body));
    const client = new Client(app.gameServerUrl);
    client.auth.token = ticket.body.ticket;
    const player = new Player(await client.joinById(created.body.roomId));
    const welcome = await player.next(ServerMessage.Welcome);
    assert.equal(welcome.scoreSaved, true);

    const started = await player.start();
    const accepted = await player.play(started.target, 3);
    const ended = await player.next(ServerMessage.EndGame, 10_000);
    const result = await player.submit(honestSubmission(started, accepted, ended.endToken));
    await player.leave();
    return { accepted, ended, result };
  }

  for (const mode of [GameMode.Classic, GameMode.Shaky]) {
    it(`plays ${mode} to the end and the score is saved on the ${mode} board`, async () => {
      const { accepted, result } = await playOnce(mode);
      assert.equal(accepted.length, 3);
      assert.equal(result.accepted, true, JSON.stringify(result));
      assert.equal(result.saved, true, JSON.stringify(result));
      const board = await call("GET", `${app.backendUrl}/api/scoreboard?board=${mode}&period=all`);
      assert.equal(board.status, 200);
      const mine = board.body.leaderboard.find((row: any) => String(row.user_id) === userId);
      assert.ok(mine, JSON.stringify(board.body));
      assert.equal(mine.score, 3);
      assert.equal(mine.rank, 1);
    });
  }

  it("plays steps to the end and the time taken is saved on the steps board", async () => {
    const { ended, result } = await playOnce(GameMode.Steps);
    assert.equal(result.saved, true, JSON.stringify(result));
    const board = await call("GET", `${app.backendUrl}/api/scoreboard?board=steps&period=all`);
    const mine = board.body.leaderboard.find((row: any) => String(row.user_id) === userId);
    assert.ok(mine, JSON.stringify(board.body));
    assert.equal(mine.score, ended.score);
    assert.ok(mine.score > 0, "steps score is the time taken in ms");
  });

  it("a logged-out player's identity token no longer gets a ticket", async () => {
    const login = await call("POST", `${app.backendUrl}/auth/login`, { username: "player_one", password: "correct horse battery" });
    const created = await call("POST", `${app.gameServerUrl}/rooms`, { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 2 }, login.body.access_token);
    assert.equal((await call("POST", `${app.backendUrl}/auth/logout`, {}, login.body.access_token)).status, 200);
    const ticket = await call("POST", `${app.gameServerUrl}/getTicket/${created.body.roomId}`, {}, login.body.access_token);
    assert.equal(ticket.status, 401);
  });
});
