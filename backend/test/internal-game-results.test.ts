import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { InternalRoute } from "@arena/shared/contracts/internal-api";
import type { TestBackend } from "./support/test-backend.ts";
import { newPlayer, serviceKeys, startScoresBackend } from "./scores-support.ts";

const mode = `${process.env.DATABASE_URL ? "postgres" : "pglite"} + ${process.env.REDIS_URL ? "redis" : "memory"}`;

/** A result as a game played by the default rules reports it: timed modes score their points over 30 s; steps score the elapsed time of a completed course. */
const result = (userId: string, m: string, score: number, id = randomUUID()) => {
  const ended = Date.now();
  const elapsed = m === "steps" ? score : 30_000;
  return {
    result_id: id,
    user_id: userId,
    mode: m,
    score,
    points: m === "steps" ? 10 : score,
    started_at: new Date(ended - elapsed).toISOString(),
    ended_at: new Date(ended).toISOString(),
  };
};

describe(`POST /internal/game-results and /internal/flags (${mode})`, function () {
  let backend: TestBackend;
  const keys = serviceKeys();
  before(async () => {
    backend = await startScoresBackend({ SERVICE_PUBLIC_KEY: keys.publicPem });
  });
  after(async () => backend?.close());

  const post = (body: unknown, token = keys.sign()) => backend.api("POST", "/internal/game-results", { token, body });

  it("records a result on its mode's board and replays it unchanged", async () => {
    const p = await newPlayer(backend);
    const body = result(p.id, "shaky", 42);
    const first = await post(body);
    assert.equal(first.status, 200);
    assert.deepEqual(first.body, { success: true, result_id: body.result_id, user_id: p.id, board: "shaky", new_score: 42, rank: 1, replay: false });
    assert.equal((await post(result(p.id, "shaky", 8))).body.new_score, 50);
    const again = await post(body);
    assert.deepEqual({ ...again.body, rank: 1 }, { ...first.body, replay: true });
    const board = (await backend.api("GET", "/api/scoreboard?board=shaky")).body;
    assert.equal(board.leaderboard[0].score, 50);
    assert.equal((await backend.api("GET", "/api/scoreboard")).body.total_players, 0, "game results stay on game boards");
  });

  it("keeps the best (lowest) time on the steps board", async () => {
    const a = await newPlayer(backend);
    const b = await newPlayer(backend);
    assert.equal((await post(result(a.id, "steps", 9_000))).body.new_score, 9_000);
    assert.equal((await post(result(a.id, "steps", 7_500))).body.new_score, 7_500);
    assert.equal((await post(result(a.id, "steps", 8_000))).body.new_score, 7_500);
    const bRes = await post(result(b.id, "steps", 8_000));
    assert.equal(bRes.body.rank, 2);
    const top = (await backend.api("GET", "/api/scoreboard?board=steps")).body.leaderboard;
    assert.deepEqual(top.map((e: any) => [e.user_id, e.score]), [[a.id, 7_500], [b.id, 8_000]]);
  });

  it("refuses identity tokens, wrong kid, wrong issuer, long-lived and missing credentials with 401", async () => {
    const p = await newPlayer(backend);
    const body = result(p.id, "classic", 1);
    for (const token of [p.token, keys.sign({}, { kid: "other" }), keys.sign({ iss: "someone" }), keys.sign({ typ: "identity" }), keys.sign({}, { ttl: 3600 }), serviceKeys().sign()]) {
      const res = await post(body, token);
      assert.equal(res.status, 401, token.slice(0, 20));
      assert.equal(res.body.error_code, "UNAUTHORIZED");
    }
    assert.equal((await backend.api("POST", "/internal/game-results", { body })).status, 401);
  });

  it("refuses results the mode's rules cannot produce with 400 VALIDATION_FAILED", async () => {
    const p = await newPlayer(backend);
    const impossible = [
      ["a score that is not its points", { ...result(p.id, "classic", 40), points: 39 }],
      ["more points than the burst limits allow in 30 s", result(p.id, "classic", 249)],
      ["a huge score", result(p.id, "shaky", 1_000_000)],
      ["a timed game longer than its duration", { ...result(p.id, "classic", 5), started_at: new Date(Date.now() - 120_000).toISOString() }],
      ["a steps time that is not its elapsed time", { ...result(p.id, "steps", 9_000), started_at: new Date(Date.now() - 30_000).toISOString() }],
      ["a completed course with a step missing", { ...result(p.id, "steps", 9_000), points: 9 }],
    ] as const;
    for (const [what, body] of impossible) {
      const res = await post(body);
      assert.equal(res.status, 400, what);
      assert.equal(res.body.error_code, "VALIDATION_FAILED", what);
    }
    assert.equal((await post(result(p.id, "classic", 248))).status, 200, "the most the burst limits allow");
  });

  it("refuses a service credential issued in the future or living longer than allowed", async () => {
    const p = await newPlayer(backend);
    const now = Math.floor(Date.now() / 1000);
    for (const token of [keys.sign({ iat: now + 600, exp: now + 660 }), keys.sign({ iat: now - 10, exp: now + 400 })]) {
      const res = await post(result(p.id, "classic", 1), token);
      assert.equal(res.status, 401);
      assert.equal(res.body.error_code, "UNAUTHORIZED");
    }
    assert.equal((await post(result(p.id, "classic", 1), keys.sign({ iat: now + 5, exp: now + 65 }))).status, 200, "a little skew is fine");
  });

  it("answers 4xx (final) for bad bodies and unknown users", async () => {
    const p = await newPlayer(backend);
    for (const body of [{ ...result(p.id, "classic", 1), mode: "chess" }, { ...result(p.id, "classic", -1) }, { ...result(p.id, "classic", 1), result_id: "x" }, { ...result("abc", "classic", 1) }]) {
      const res = await post(body);
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    const ghost = await post(result("999999", "classic", 1));
    assert.equal(ghost.status, 400);
    assert.equal((await backend.api("POST", "/internal/flags", { token: keys.sign(), body: { flag_id: randomUUID(), user_id: "999999", reason: "X", evidence: {} } })).status, 400);
  });

  it("answers 400 VALIDATION_FAILED for user ids beyond PostgreSQL integer, and never fails others' commits with them", async () => {
    const p = await newPlayer(backend);
    for (const id of ["9999999999", "2147483648"]) {
      const results = await Promise.all([post(result(id, "classic", 1)), post(result(p.id, "classic", 2)), post(result(id, "classic", 1))]);
      assert.deepEqual(results.map((r) => [r.status, r.body.error_code]), [[400, "VALIDATION_FAILED"], [200, undefined], [400, "VALIDATION_FAILED"]], id);
      const flag = await backend.api("POST", "/internal/flags", { token: keys.sign(), body: { flag_id: randomUUID(), user_id: id, reason: "X", evidence: {} } });
      assert.deepEqual([flag.status, flag.body.error_code], [400, "VALIDATION_FAILED"], id);
    }
    assert.notEqual((await post(result("2147483647", "classic", 1))).body.error_code, "INTERNAL", "the largest integer id is a valid (unknown) id");
  });
});

describe(`internal routes without SERVICE_PUBLIC_KEY (${mode})`, function () {
  let backend: TestBackend;
  before(async () => {
    backend = await startScoresBackend({});
  });
  after(async () => backend?.close());

  it("answers 503 SERVICE_UNAVAILABLE on every internal route", async () => {
    for (const route of Object.values(InternalRoute)) {
      const res = await backend.api("POST", route, { token: serviceKeys().sign(), body: {} });
      assert.deepEqual([res.status, res.body.error_code], [503, "SERVICE_UNAVAILABLE"], route);
    }
  });
});
