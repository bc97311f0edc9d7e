import assert from "node:assert/strict";
import type { TestBackend } from "./support/test-backend.ts";
import { ScoreboardMessage } from "@arena/shared";
import { action, newPlayer, openSocket, postScore, startScoresBackend } from "./scores-support.ts";

const mode = `${process.env.DATABASE_URL ? "postgres" : "pglite"} + ${process.env.REDIS_URL ? "redis" : "memory"}`;

describe(`GET /api/scoreboard (${mode})`, function () {
  let backend: TestBackend;
  let offset = 0;
  const now = () => Date.now() + offset;
  before(async () => {
    backend = await startScoresBackend({}, now);
  });
  after(async () => backend?.close());

  it("answers the documented shape, top 10 only, with total_players", async () => {
    const players = [];
    for (let i = 0; i < 12; i++) players.push(await newPlayer(backend, "top"));
    for (const [i, p] of players.entries()) await postScore(backend, p.token, action(100 + i));
    const res = await backend.api("GET", "/api/scoreboard");
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ["last_updated", "leaderboard", "total_players"]);
    assert.equal(res.body.leaderboard.length, 10);
    assert.equal(res.body.total_players, 12);
    assert.ok(!Number.isNaN(Date.parse(res.body.last_updated)));
    const first = res.body.leaderboard[0];
    assert.deepEqual(Object.keys(first).sort(), ["last_updated", "rank", "score", "user_id", "username"]);
    assert.deepEqual(first, { rank: 1, user_id: players[11].id, username: players[11].username, score: 111, last_updated: first.last_updated });
    assert.deepEqual(res.body.leaderboard.map((e: any) => e.rank), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(res.body.leaderboard.map((e: any) => e.score), [111, 110, 109, 108, 107, 106, 105, 104, 103, 102]);
  });

  it("reflects a commit immediately (the cached top 10 is refreshed on commit)", async () => {
    const p = await newPlayer(backend, "jump");
    const posted = await postScore(backend, p.token, action(500));
    assert.equal(posted.body.rank, 1);
    const res = await backend.api("GET", "/api/scoreboard");
    assert.equal(res.body.leaderboard[0].user_id, p.id);
    assert.equal(res.body.total_players, 13);
  });

  it("ranks whoever reached a tied score first higher", async () => {
    const a = await newPlayer(backend, "tieA");
    const b = await newPlayer(backend, "tieB");
    await postScore(backend, b.token, action(999));
    offset += 1_000;
    await postScore(backend, a.token, action(600));
    offset += 1_000;
    const aDone = await postScore(backend, a.token, action(399)); // a reaches 999 after b
    offset += 1_000;
    const res = await backend.api("GET", "/api/scoreboard");
    const top = res.body.leaderboard.slice(0, 2);
    assert.deepEqual(top.map((e: any) => [e.user_id, e.score, e.rank]), [[b.id, 999, 1], [a.id, 999, 2]]);
    assert.equal(aDone.body.rank, 2);
    assert.ok(Date.parse(top[0].last_updated) < Date.parse(top[1].last_updated));
  });

  it("answers GET /api/scoreboard/me with rank and neighbours", async () => {
    const p = await newPlayer(backend, "me");
    assert.equal((await backend.api("GET", "/api/scoreboard/me")).status, 401);
    const none = await backend.api("GET", "/api/scoreboard/me", { token: p.token });
    assert.equal(none.status, 200);
    assert.equal(none.body.rank, null);
    await postScore(backend, p.token, action(105));
    const me = await backend.api("GET", "/api/scoreboard/me", { token: p.token });
    assert.equal(me.body.user_id, p.id);
    assert.equal(me.body.score, 105);
    const mine = me.body.neighbours.find((e: any) => e.user_id === p.id);
    assert.equal(mine.rank, me.body.rank);
    assert.equal(me.body.neighbours.length, 5);
    assert.deepEqual(me.body.neighbours.map((e: any) => e.rank), [me.body.rank - 2, me.body.rank - 1, me.body.rank, me.body.rank + 1, me.body.rank + 2]);
  });

  it("keeps the in-memory top 10 equal to the database through many concurrent commits", async () => {
    const players = await Promise.all(Array.from({ length: 14 }, () => newPlayer(backend, "mix")));
    for (let round = 0; round < 3; round++) {
      await Promise.all(players.map((p, i) => postScore(backend, p.token, action(1 + ((i * 37 + round * 101) % 997)))));
    }
    const served = (await backend.api("GET", "/api/scoreboard?period=weekly")).body;
    const truth = await backend.db.sql.query<{ user_id: number; score: string }>(
      "SELECT user_id, score FROM scores WHERE board = 'general' AND period = $1 ORDER BY score DESC, reached_at, user_id LIMIT 10",
      [served.leaderboard.length ? (await backend.db.sql.query<{ period: string }>("SELECT period FROM scores WHERE period LIKE 'w:%' ORDER BY updated_at DESC LIMIT 1"))[0].period : ""],
    );
    assert.deepEqual(served.leaderboard.map((e: any) => [e.user_id, e.score]), truth.map((r) => [String(r.user_id), Number(r.score)]));
    assert.ok(served.leaderboard.every((e: any) => e.username.length > 0));
  });

  it("answers 400 UNKNOWN_BOARD for an unknown board or period", async () => {
    for (const q of ["?board=chess", "?period=monthly"]) {
      const res = await backend.api("GET", `/api/scoreboard${q}`);
      assert.equal(res.status, 400);
      assert.equal(res.body.error_code, "UNKNOWN_BOARD");
    }
    assert.equal((await backend.api("GET", "/api/scoreboard?board=steps&period=weekly")).status, 200);
  });
});

describe(`leaderboard periods roll over (${mode})`, function () {
  let backend: TestBackend;
  let at = Date.parse("2026-11-22T23:59:58.000Z"); // a Sunday: the next second starts a new day AND a new ISO week
  const now = () => at;
  before(async () => {
    backend = await startScoresBackend({}, now);
  });
  after(async () => backend?.close());

  it("starts new daily and weekly boards at midnight UTC / Monday, keeps all-time, and tells daily watchers", async () => {
    const p = await newPlayer(backend, "roll");
    await postScore(backend, p.token, action(70));
    const board = async (period: string) => (await backend.api("GET", `/api/scoreboard?period=${period}`)).body;
    assert.equal((await board("daily")).leaderboard[0].score, 70);
    assert.equal((await board("weekly")).leaderboard[0].score, 70);
    const watcher = await openSocket(backend.url);
    watcher.send({ type: ScoreboardMessage.Subscribe, board: "general", period: "daily" });
    await watcher.next((m) => m.type === ScoreboardMessage.Snapshot && m.data.period === "daily");
    at += 3_000;
    await postScore(backend, p.token, action(5));
    const live = await watcher.next((m) => m.type === ScoreboardMessage.LeaderboardUpdate);
    assert.deepEqual(live.data.leaderboard.map((e: any) => e.score), [5], "the daily watcher hears the new day's board");
    watcher.close();
    assert.deepEqual((await board("daily")).leaderboard.map((e: any) => e.score), [5]);
    assert.equal((await board("daily")).total_players, 1);
    assert.deepEqual((await board("weekly")).leaderboard.map((e: any) => e.score), [5]);
    assert.deepEqual((await board("all")).leaderboard.map((e: any) => e.score), [75]);
  });
});
