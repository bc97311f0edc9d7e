import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { TestBackend } from "./support/test-backend.ts";
import { action, eventually, newPlayer, postScore, sleep, startScoresBackend } from "./scores-support.ts";

const mode = `${process.env.DATABASE_URL ? "postgres" : "pglite"} + ${process.env.REDIS_URL ? "redis" : "memory"}`;

describe(`POST /api/scores — the documented contract (${mode})`, function () {
  let backend: TestBackend;
  before(async () => {
    backend = await startScoresBackend({ PENALTY_BASE_BAN: "1", MANUAL_REVIEW_THRESHOLD: "1500", METRICS_PORT: "0" });
  });
  after(async () => backend?.close());

  it("adds points and answers {success, user_id, new_score, rank}", async () => {
    const p = await newPlayer(backend);
    const first = await postScore(backend, p.token, action(40));
    assert.equal(first.status, 200);
    assert.deepEqual(Object.keys(first.body).sort(), ["new_score", "rank", "success", "user_id"]);
    assert.equal(first.body.success, true);
    assert.equal(first.body.user_id, p.id);
    assert.equal(first.body.new_score, 40);
    assert.ok(Number.isInteger(first.body.rank) && first.body.rank >= 1);
    const second = await postScore(backend, p.token, action(2, "achievement_unlocked"));
    assert.equal(second.body.new_score, 42);
  });

  it("refuses a missing, malformed or forged token with 401 UNAUTHORIZED", async () => {
    for (const token of [undefined, "not-a-jwt", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."]) {
      const res = await postScore(backend, token, action(1));
      assert.equal(res.status, 401);
      assert.equal(res.body.success, false);
      assert.equal(res.body.error_code, "UNAUTHORIZED");
      assert.equal(typeof res.body.message, "string");
    }
  });

  it("refuses a token whose session was logged out (SESSION_EXPIRED)", async () => {
    const p = await newPlayer(backend);
    assert.equal((await backend.api("POST", "/auth/logout", { token: p.token })).status, 200);
    const res = await postScore(backend, p.token, action(1));
    assert.equal(res.status, 401);
    assert.equal(res.body.error_code, "SESSION_EXPIRED");
  });

  it("answers INVALID_ACTION for unknown types, game-board types and out-of-bounds points", async () => {
    const p = await newPlayer(backend);
    const cases = [
      { action_type: "teleport", points: 5 },
      { action_type: "game_result:classic", points: 5 },
      { action_type: "action_complete", points: 1001 },
      { action_type: "daily_bonus", points: 50 },
      { action_type: "action_complete", points: 0 },
      { action_type: "action_complete", points: -3 },
      { action_type: "action_complete", points: 1.5 },
    ];
    for (const c of cases) {
      const res = await postScore(backend, p.token, { action_id: randomUUID(), ...c });
      assert.equal(res.status, 400, JSON.stringify(c));
      assert.equal(res.body.error_code, "INVALID_ACTION", JSON.stringify(c));
    }
    const ok = await postScore(backend, p.token, action(1000));
    assert.equal(ok.body.new_score, 1000, "nothing was added by the refused actions");
  });

  it("answers VALIDATION_FAILED for a malformed body", async () => {
    const p = await newPlayer(backend);
    for (const body of [{ action_type: "action_complete", points: 1 }, { action_id: "123", action_type: "action_complete", points: 1 }, { action_id: randomUUID(), action_type: "action_complete", points: "5" }]) {
      const res = await postScore(backend, p.token, body);
      assert.equal(res.status, 400);
      assert.equal(res.body.error_code, "VALIDATION_FAILED");
    }
  });

  it("returns the original result for a replayed action_id and never adds twice", async () => {
    const p = await newPlayer(backend);
    const a = action(30);
    const first = await postScore(backend, p.token, a);
    await postScore(backend, p.token, action(5));
    const again = await postScore(backend, p.token, a);
    assert.equal(again.status, 200);
    assert.equal(again.body.new_score, first.body.new_score);
    const changed = await postScore(backend, p.token, { ...a, points: 999 });
    assert.equal(changed.body.new_score, 30, "a replay with other points is still the original");
    const bogus = await postScore(backend, p.token, { ...a, points: 5000 });
    assert.equal(bogus.status, 200, "uniqueness is checked before bounds");
    const [row] = await backend.db.sql.query<{ score: string }>("SELECT score FROM scores WHERE board='general' AND period='all' AND user_id=$1", [Number(p.id)]);
    assert.equal(Number(row.score), 35);
  });

  it("commits concurrent replays of one action_id exactly once", async () => {
    const p = await newPlayer(backend);
    const a = action(7);
    const results = await Promise.all(Array.from({ length: 6 }, () => postScore(backend, p.token, a)));
    assert.deepEqual(results.map((r) => r.body.new_score), [7, 7, 7, 7, 7, 7]);
    const rows = await backend.db.sql.query("SELECT 1 FROM score_history WHERE action_id = $1", [a.action_id]);
    assert.equal(rows.length, 1);
  });

  it("refuses another user's action_id", async () => {
    const a = await newPlayer(backend);
    const b = await newPlayer(backend);
    const act = action(3);
    await postScore(backend, a.token, act);
    const res = await postScore(backend, b.token, act);
    assert.equal(res.status, 400);
    assert.equal(res.body.error_code, "INVALID_ACTION");
  });

  it("limits each user to 10 updates per minute, then bans repeat violators for growing periods", async () => {
    const p = await newPlayer(backend);
    for (let i = 0; i < 10; i++) assert.equal((await postScore(backend, p.token, action(1))).status, 200);
    const over = await postScore(backend, p.token, action(1));
    assert.equal(over.status, 429);
    assert.equal(over.body.error_code, "RATE_LIMIT_EXCEEDED");
    assert.ok(over.body.retry_after >= 1 && over.body.retry_after <= 60, `retry_after ${over.body.retry_after}`);
    assert.equal(over.headers.get("retry-after"), String(over.body.retry_after));
    assert.equal((await postScore(backend, p.token, action(1))).body.error_code, "RATE_LIMIT_EXCEEDED");
    const ban = await postScore(backend, p.token, action(1));
    assert.equal(ban.status, 429);
    assert.equal(ban.body.error_code, "TEMPORARILY_BANNED");
    assert.equal(ban.body.retry_after, 1, "first strike: PENALTY_BASE_BAN");
    const during = await postScore(backend, p.token, action(1));
    assert.equal(during.body.error_code, "TEMPORARILY_BANNED");
    await sleep(1_100);
    assert.equal((await postScore(backend, p.token, action(1))).body.error_code, "RATE_LIMIT_EXCEEDED");
    assert.equal((await postScore(backend, p.token, action(1))).body.error_code, "RATE_LIMIT_EXCEEDED");
    const second = await postScore(backend, p.token, action(1));
    assert.equal(second.body.error_code, "TEMPORARILY_BANNED");
    assert.equal(second.body.retry_after, 2, "second strike doubles");
    const [row] = await backend.db.sql.query<{ score: string }>("SELECT score FROM scores WHERE board='general' AND period='all' AND user_id=$1", [Number(p.id)]);
    assert.equal(Number(row.score), 10);
    await eventually(async () => {
      const rows = await backend.db.sql.query("SELECT event FROM audit_log WHERE user_id = $1 AND event IN ('score.rate_limited', 'score.temporary_ban')", [Number(p.id)]);
      return rows.length >= 5;
    });
  });

  it("flags an account that crosses MANUAL_REVIEW_THRESHOLD, with evidence", async () => {
    const p = await newPlayer(backend);
    await postScore(backend, p.token, action(1000));
    assert.equal((await postScore(backend, p.token, action(600))).status, 200, "flagging does not refuse the action");
    const flag = await eventually(async () => {
      const rows = await backend.db.sql.query<{ reason: string; evidence: any }>("SELECT reason, evidence FROM flags WHERE user_id = $1", [Number(p.id)]);
      return rows[0];
    });
    assert.equal(flag.reason, "MANUAL_REVIEW_THRESHOLD");
    assert.equal(flag.evidence.points_in_window, 1600);
  });

  it("writes score updates and failed authentications to the audit log", async () => {
    const p = await newPlayer(backend);
    const a = action(9);
    await postScore(backend, p.token, a);
    await postScore(backend, "garbage", action(1));
    const row = await eventually(async () => (await backend.db.sql.query<{ data: any }>("SELECT data FROM audit_log WHERE event = 'score.update' AND user_id = $1", [Number(p.id)]))[0]);
    assert.equal(row.data.action_id, a.action_id);
    assert.equal(row.data.points, 9);
    await eventually(async () => (await backend.db.sql.query("SELECT 1 FROM audit_log WHERE event = 'auth.failed'")).length > 0);
  });

  it("exposes Prometheus metrics on the metrics listener only, never on the public one", async () => {
    const metricsUrl = backend.running.metricsUrl!;
    assert.match(metricsUrl, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/, "bound to loopback");
    const res = await fetch(metricsUrl);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /score_updates_total\{source="client",result="committed"\} \d+/);
    assert.match(text, /scoreboard_ws_connections/);
    const pub = await backend.api("GET", "/metrics");
    assert.equal(pub.status, 404);
    assert.equal(pub.body.error_code, "NOT_FOUND");
  });
});

describe(`POST /api/scores — global limit (${mode})`, function () {
  let backend: TestBackend;
  before(async () => {
    backend = await startScoresBackend({ RATE_LIMIT_GLOBAL: "3" });
  });
  after(async () => backend?.close());

  it("refuses the request over the global limit without penalising the user", async () => {
    const players = await Promise.all([1, 2, 3, 4].map(() => newPlayer(backend)));
    for (const p of players.slice(0, 3)) assert.equal((await postScore(backend, p.token, action(1))).status, 200);
    for (let i = 0; i < 4; i++) {
      const res = await postScore(backend, players[3].token, action(1));
      assert.equal(res.status, 429);
      assert.equal(res.body.error_code, "RATE_LIMIT_EXCEEDED", "never TEMPORARILY_BANNED for the global limit");
      assert.ok(res.body.retry_after >= 1 && res.body.retry_after <= 60);
    }
  });
});
