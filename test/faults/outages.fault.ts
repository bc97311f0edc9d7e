// Dependency outages against the real processes: `npm start`'s supervisor runs one backend and
// two game servers (each its own process, as compose runs them) against a Redis and a
// PostgreSQL this suite starts on free ports, then kills, freezes and restarts them under load.
// Every scenario checks what clients were told against the database: nothing answered
// "saved" without a durable row, nothing counted twice, recovery without restarting the apps,
// and only 200s or 503 SERVICE_UNAVAILABLE with retry_after (never a 500, never a hang).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Cluster } from "./support/cluster.ts";
import { assertLedger, assertOnlyExpected, call, isOutageAnswer, registerAndLogin, ScoreLoad, type Answer } from "./support/clients.ts";
import { awaitResultRows, leave, playSome, playToEnd, resultRows, seatIn } from "./support/game.ts";
import { missingTools, PostgresProcess, RedisProcess } from "./support/services.ts";

const missing = missingTools();
if (missing) console.log(`  fault suite skipped: ${missing}`);

(missing ? describe.skip : describe)("dependency outages (real processes, private Redis and PostgreSQL)", function () {
  this.timeout(180_000);
  let dir: string;
  let redis: RedisProcess;
  let postgres: PostgresProcess;
  let cluster: Cluster;
  let names = 0;
  const user = (what: string) => `${what}_${(names++).toString(36)}`;
  /** Every /readyz answer: 200, or 503 naming a dependency that is down. */
  const readyz = (url: string) => call("GET", `${url}/readyz`);
  const noRestarts = (from: number) => assert.deepEqual(cluster.since(from).filter((l) => / exited \(/.test(l)), [], "a process had to be restarted");

  before(async function () {
    this.timeout(240_000);
    dir = mkdtempSync(path.join(os.tmpdir(), "arena-faults-"));
    redis = await RedisProcess.start(dir);
    postgres = await PostgresProcess.start(dir);
    cluster = await Cluster.start({
      redisUrl: redis.url,
      databaseUrl: postgres.url,
      dataDir: path.join(dir, "data"),
      env: {
        GAME_DURATION_MS: "4000",
        RATE_LIMIT_PER_USER: "1000000",
        RATE_LIMIT_GLOBAL: "1000000",
        AUTH_RATE_LIMIT: "100000",
        SUSPICIOUS_VELOCITY_THRESHOLD: "1000000",
        MANUAL_REVIEW_THRESHOLD: "100000000",
        OUTBOX_RETRY_BASE_MS: "200",
        OUTBOX_RETRY_MAX_MS: "1000",
      },
    });
  });

  after(async function () {
    this.timeout(60_000);
    const code = await cluster?.stop();
    await redis?.kill();
    postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 0, "the launcher stops cleanly on SIGTERM once its children have stopped");
  });

  it("PostgreSQL restarted under score load: 503 + retry_after while it is down, every saved action durable, none doubled", async () => {
    const mark = cluster.output.length;
    const players = [await registerAndLogin(cluster.backendUrl, user("pg")), await registerAndLogin(cluster.backendUrl, user("pg"))];
    const load = new ScoreLoad(cluster.backendUrl, players, 2);
    await sleep(1000);
    postgres.stopImmediate();
    const down: Answer[] = [];
    for (let i = 0; i < 6; i++) {
      down.push(await readyz(cluster.backendUrl));
      await sleep(400);
    }
    await postgres.start();
    await sleep(2000);
    await load.stop();

    assertOnlyExpected(load.answers, (a) => a.status === 200, "score answers");
    assert.ok((load.tally()["503"] ?? 0) > 0, `the outage was seen: ${JSON.stringify(load.tally())}`);
    assert.ok(down.some((a) => isOutageAnswer(a) && a.body.dependencies?.db?.status === "down"), `readyz reported the database down: ${JSON.stringify(down.map((a) => a.body))}`);
    await assertLedger(postgres.url, load, players);
    assert.equal((await readyz(cluster.backendUrl)).status, 200);
    noRestarts(mark);
    console.log(`      scores: ${JSON.stringify(load.tally())}, saved ${load.saved.size}`);
  });

  it("Redis frozen for 10 s: requests answer 503 instead of hanging, /readyz says redis is down, a game submit answers at once", async () => {
    const mark = cluster.output.length;
    const gamer = await registerAndLogin(cluster.backendUrl, user("frz"));
    const seat = await seatIn(cluster.gameUrls[0], gamer);
    const game = await playToEnd(seat);
    const players = [await registerAndLogin(cluster.backendUrl, user("frz")), await registerAndLogin(cluster.backendUrl, user("frz"))];
    const load = new ScoreLoad(cluster.backendUrl, players, 2);
    await sleep(500);

    redis.freeze();
    const frozenAt = Date.now();
    const result = await seat.player.submit(game.submission);
    const ready = await Promise.all([cluster.backendUrl, ...cluster.gameUrls].map(readyz));
    const tickets = await Promise.all(cluster.gameUrls.map((url) => call("POST", `${url}/rooms`, { mode: "classic", ranked: true, allowGuests: false, maxPlayers: 2 }, gamer.token)));
    await sleep(Math.max(0, 10_000 - (Date.now() - frozenAt)));
    redis.thaw();
    await sleep(2500);
    await load.stop();

    assert.equal(result.accepted, true, JSON.stringify(result));
    assert.ok(result.saved === true && (result.pending === true || (await resultRows(postgres.url, game.sessionId)) === 1), `stored or queued: ${JSON.stringify(result)}`);
    for (const answer of ready) assert.ok(isOutageAnswer(answer) && answer.body.dependencies.redis.status === "down", JSON.stringify(answer.body));
    for (const answer of tickets) assert.ok(isOutageAnswer(answer), `POST /rooms while Redis is frozen: ${JSON.stringify(answer)}`);
    assertOnlyExpected(load.answers, (a) => a.status === 200, "score answers");
    assert.ok((load.tally()["503"] ?? 0) > 0, `the outage was seen: ${JSON.stringify(load.tally())}`);
    await assertLedger(postgres.url, load, players);
    assert.equal(await awaitResultRows(postgres.url, game.sessionId), 1, "the game result is stored exactly once");
    await cluster.ready(10_000);
    noRestarts(mark);
    await leave(seat);
    console.log(`      scores: ${JSON.stringify(load.tally())}, saved ${load.saved.size}; submit answered ${JSON.stringify({ saved: result.saved, pending: result.pending })}`);
  });

  it("Redis restarted empty: live sessions work everywhere again, a logged-out one stays refused", async () => {
    const mark = cluster.output.length;
    const live = await registerAndLogin(cluster.backendUrl, user("mir"));
    const out = await registerAndLogin(cluster.backendUrl, user("mir"));
    assert.equal((await call("POST", `${cluster.backendUrl}/auth/logout`, {}, out.token)).status, 200);

    await redis.restartEmpty();
    const back = Date.now();
    const seen: Answer[] = [];
    const until200 = async (attempt: () => Promise<Answer>) => {
      for (let i = 0; i < 100; i++) {
        const answer = await attempt();
        seen.push(answer);
        if (answer.status === 200 || answer.status === 201) return answer;
        await sleep(100);
      }
      throw new Error(`never recovered: ${JSON.stringify(seen.slice(-3))}`);
    };
    await until200(() => call("POST", `${cluster.backendUrl}/api/scores`, { action_id: crypto.randomUUID(), action_type: "action_complete", points: 1 }, live.token));
    await until200(() => call("POST", `${cluster.backendUrl}/auth/heartbeat`, {}, live.token));
    for (const url of cluster.gameUrls) {
      const room = await until200(() => call("POST", `${url}/rooms`, { mode: "classic", ranked: true, allowGuests: false, maxPlayers: 2 }, live.token));
      await until200(() => call("POST", `${url}/getTicket/${room.body.roomId}`, {}, live.token));
    }
    const recoveredMs = Date.now() - back;

    const refused = [
      await call("POST", `${cluster.backendUrl}/api/scores`, { action_id: crypto.randomUUID(), action_type: "action_complete", points: 1 }, out.token),
      await call("POST", `${cluster.backendUrl}/auth/heartbeat`, {}, out.token),
      ...(await Promise.all(cluster.gameUrls.map((url) => call("POST", `${url}/rooms`, { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 2 }, out.token)))),
    ];
    for (const answer of refused) assert.equal(answer.status, 401, `logged-out session: ${JSON.stringify(answer.body)}`);
    assertOnlyExpected(seen, (a) => a.status === 200 || a.status === 201 || (a.status === 401 && a.body?.error_code === "SESSION_EXPIRED"), "answers while Redis came back");
    noRestarts(mark);
    console.log(`      live session accepted by the backend and both game servers ${recoveredMs} ms after Redis came back empty; answers on the way: ${JSON.stringify(seen.map((a) => a.status))}`);
  });

  it("kill -9 of a game server mid-game: its player's connection drops, new rooms go to live processes only, nothing is saved or doubled", async () => {
    const gamer = await registerAndLogin(cluster.backendUrl, user("gsk"));
    const seat = await seatIn(cluster.gameUrls[0], gamer);
    const hostName = `game-server-${cluster.gameUrls.indexOf(seat.hostUrl) + 1}`;
    assert.ok(hostName !== "game-server-0", `room on an unknown process ${seat.hostUrl}`);
    const survivor = cluster.gameUrls.find((url) => url !== seat.hostUrl)!;
    const { started } = await playSome(seat, 2);
    const dropped = new Promise<boolean>((resolve) => {
      seat.room.onDrop(() => resolve(true));
      seat.room.onLeave(() => resolve(true));
      setTimeout(() => resolve(false), 10_000);
    });
    const mark = cluster.output.length;
    await cluster.kill9(hostName);
    assert.equal(await dropped, true, "the SDK noticed the dead server");
    await leave(seat);

    // Creations right after the kill, through the survivor, while the dead process is still registered.
    for (let i = 0; i < 6; i++) {
      const next = await seatIn(survivor, gamer);
      await leave(next);
    }
    assert.deepEqual(cluster.since(mark).filter((l) => l.includes("ipc_timeout")), [], "a room creation was routed to the dead process");
    assert.equal(await resultRows(postgres.url, started.sessionId), 0, "the killed game saved nothing");

    await cluster.ready(60_000);
    const again = await seatIn(survivor, gamer);
    const game = await playToEnd(again);
    const result = await again.player.submit(game.submission);
    assert.equal(result.saved, true, JSON.stringify(result));
    assert.equal(await awaitResultRows(postgres.url, game.sessionId), 1);
    await leave(again);
  });

  it("kill -9 of the backend under load: clients retry until saved, a game submit is queued and delivered once", async () => {
    const players = [await registerAndLogin(cluster.backendUrl, user("bek")), await registerAndLogin(cluster.backendUrl, user("bek"))];
    const gamer = await registerAndLogin(cluster.backendUrl, user("bek"));
    const seat = await seatIn(cluster.gameUrls[1], gamer);
    const game = await playToEnd(seat);
    const load = new ScoreLoad(cluster.backendUrl, players, 2);
    await sleep(1000);

    await cluster.kill9("backend");
    const result = await seat.player.submit(game.submission);
    await cluster.ready(90_000);
    await sleep(1500);
    await load.stop();

    assertOnlyExpected(load.answers, (a) => a.status === 200 || a.status === "network", "score answers");
    assert.ok((load.tally().network ?? 0) > 0, `the outage was seen: ${JSON.stringify(load.tally())}`);
    await assertLedger(postgres.url, load, players);
    assert.equal(result.saved, true, JSON.stringify(result));
    assert.equal(result.pending, true, "queued in the outbox while the backend is down");
    assert.equal(await awaitResultRows(postgres.url, game.sessionId), 1, "delivered exactly once after the restart");
    await leave(seat);
    console.log(`      scores: ${JSON.stringify(load.tally())}, saved ${load.saved.size}`);
  });
});
