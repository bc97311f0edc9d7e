import assert from "node:assert/strict";
import type { TestBackend } from "./support/test-backend.ts";
import { action, newPlayer, postScore, startScoresBackend } from "./scores-support.ts";

const mode = `${process.env.DATABASE_URL ? "postgres" : "pglite"} + ${process.env.REDIS_URL ? "redis" : "memory"}`;

describe(`POST /api/scores — one account cannot spend the global budget (${mode})`, function () {
  let backend: TestBackend;
  before(async () => {
    backend = await startScoresBackend({ RATE_LIMIT_PER_USER: "2", RATE_LIMIT_GLOBAL: "5" });
  });
  after(async () => backend?.close());

  it("requests refused by the per-user limit or a temporary ban do not count against RATE_LIMIT_GLOBAL", async () => {
    const [hammer, other] = await Promise.all([newPlayer(backend, "hammer"), newPlayer(backend, "other")]);
    const codes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await postScore(backend, hammer.token, action(1));
      codes.push(res.status === 200 ? "ok" : res.body.error_code);
    }
    assert.deepEqual(codes.slice(0, 2), ["ok", "ok"], "within the per-user limit");
    assert.ok(codes.slice(2).every((c) => c === "RATE_LIMIT_EXCEEDED" || c === "TEMPORARILY_BANNED"), codes.join());
    assert.ok(codes.includes("TEMPORARILY_BANNED"), "the hammering account was banned");
    // 2 of the 5 global slots are spent; the other user still gets their own 2 (and 1 slot is left).
    for (let i = 0; i < 2; i++) {
      const res = await postScore(backend, other.token, action(1));
      assert.equal(res.status, 200, `other user's request ${i + 1}: ${JSON.stringify(res.body)}`);
    }
  });
});
