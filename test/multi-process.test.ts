// The docker-compose topology with plain processes: `npm start` with REDIS_URL runs one
// backend and two game-server processes. A room is created through one game server, the
// ticket issued and the game played through the other (identity checked against the
// backend's JWKS over HTTP and its sessions in Redis), the result reaches the backend
// over the service route, and a logout closes the door on both game servers.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@colyseus/sdk";
import type { Database } from "@arena/db";
import { openTestDatabase } from "@arena/db/test-database";
import { ServerMessage } from "@arena/shared";
import { honestSubmission, Player } from "../game-server/test/game-test-kit.ts";
import { call, freePort, freePortRun, waitReady } from "./support.ts";

const REDIS_URL = process.env.REDIS_URL;

(REDIS_URL ? describe : describe.skip)("npm start with REDIS_URL: one backend + two game-server processes", function () {
  this.timeout(120_000);
  let launcher: ChildProcess;
  let db: Database | undefined;
  let dataDir: string;
  let backend: string;
  let games: string[];

  before(async () => {
    const backendPort = await freePort();
    // The two game servers take GAME_PORT and GAME_PORT + 1.
    const firstGame = await freePortRun(2, [backendPort]);
    dataDir = mkdtempSync(path.join(os.tmpdir(), "arena-mp-"));
    if (process.env.DATABASE_URL) db = await openTestDatabase();
    const prefix = `mp${Date.now().toString(36)}:`;
    launcher = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: {
        ...process.env,
        DATABASE_URL: (db as { url?: string } | undefined)?.url ?? "",
        REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        DATA_DIR: dataDir,
        PORT: String(backendPort),
        GAME_PORT: String(firstGame),
        GAME_SERVERS: "2",
        LOG_LEVEL: "warn",
        GAME_DURATION_MS: "1500",
      },
      stdio: ["ignore", "inherit", "inherit"],
    });
    backend = `http://127.0.0.1:${backendPort}`;
    games = [`http://127.0.0.1:${firstGame}`, `http://127.0.0.1:${firstGame + 1}`];
    await waitReady(`${backend}/readyz`);
    for (const game of games) await waitReady(`${game}/healthz`);
  });

  after(async () => {
    if (launcher && launcher.exitCode === null) {
      const exited = new Promise((resolve) => launcher.once("exit", resolve));
      launcher.kill("SIGTERM");
      await exited;
    }
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("plays through the other process and the score reaches the backend; logout shuts both doors", async () => {
    assert.equal((await call("POST", `${backend}/auth/register`, { username: "multi_proc", password: "correct horse battery" })).status, 201);
    const login = await call("POST", `${backend}/auth/login`, { username: "multi_proc", password: "correct horse battery" });
    const token = login.body.access_token;

    const created = await call("POST", `${games[0]}/rooms`, { mode: "classic", ranked: true, allowGuests: false, maxPlayers: 2 }, token);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const ticket = await call("POST", `${games[1]}/getTicket/${created.body.roomId}`, {}, token);
    assert.equal(ticket.status, 200, JSON.stringify(ticket.body));

    const client = new Client(games[1]);
    client.auth.token = ticket.body.ticket;
    const player = new Player(await client.joinById(created.body.roomId));
    const started = await player.start();
    const accepted = await player.play(started.target, 2);
    const ended = await player.next(ServerMessage.EndGame, 10_000);
    const result = await player.submit(honestSubmission(started, accepted, ended.endToken));
    assert.equal(result.saved, true, JSON.stringify(result));
    await player.leave();

    const board = await call("GET", `${backend}/api/scoreboard?board=classic&period=all`);
    const mine = board.body.leaderboard.find((row: any) => String(row.user_id) === String(login.body.user.id));
    assert.equal(mine?.score, 2, JSON.stringify(board.body));

    const another = await call("POST", `${games[1]}/rooms`, { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 2 }, token);
    assert.equal(another.status, 201);
    assert.equal((await call("POST", `${backend}/auth/logout`, {}, token)).status, 200);
    for (const game of games) {
      const refused = await call("POST", `${game}/getTicket/${another.body.roomId}`, {}, token);
      assert.equal(refused.status, 401, `${game}: ${JSON.stringify(refused.body)}`);
    }
  });
});
