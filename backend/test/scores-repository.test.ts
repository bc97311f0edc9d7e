import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Database } from "@arena/db";
import { openTestDatabase } from "@arena/db/test-database";
import { createScoreRepository } from "../src/scores/score-repository.ts";
import { GroupCommitBatcher } from "../src/scores/group-commit-batcher.ts";

const T = Date.parse("2026-11-22T12:00:00Z");

describe("score repository: one-statement group commit", function () {
  let db: Database;
  let repo: ReturnType<typeof createScoreRepository>;
  let u: number[];
  before(async () => {
    db = await openTestDatabase();
    repo = createScoreRepository(db);
    u = (await db.sql.query<{ id: number }>("INSERT INTO users (username, password_hash) SELECT 'repo_' || g, 'x' FROM generate_series(1, 3) g RETURNING id")).map((r) => Number(r.id)).sort((a, b) => a - b);
    await db.sql.query("UPDATE users SET status = 'banned' WHERE id = $1", [u[2]]);
  });
  after(async () => db?.close());

  it("gives each action of one batch the total right after it, and commits duplicates once", async () => {
    const a1 = randomUUID();
    const cmd = (actionId: string, userId: number, points: number, board = "general") => ({ actionId, userId, actionType: "x", board, points });
    const { outcomes, rows } = await repo.commitBatch(
      [cmd(a1, u[0], 5), cmd(randomUUID(), u[0], 7), cmd(randomUUID(), u[1], 3), cmd(a1, u[0], 5), cmd(randomUUID(), u[2], 1), cmd(randomUUID(), 999_999, 1), cmd(randomUUID(), u[0], 2)],
      T,
    );
    assert.deepEqual(outcomes.map((o) => (o.kind === "rejected" ? o.code : [o.kind, o.newScore])), [
      ["committed", 5], ["committed", 12], ["committed", 3], ["replay", 5], "ACCOUNT_BANNED", "VALIDATION_FAILED", ["committed", 14],
    ]);
    assert.equal(rows.length, 6, "two users × three periods");
    assert.ok(rows.every((r) => r.inserted));
    const history = await db.sql.query<{ new_score: string }>("SELECT new_score FROM score_history WHERE user_id = $1 ORDER BY new_score", [u[0]]);
    assert.deepEqual(history.map((h) => Number(h.new_score)), [5, 12, 14]);
    const again = await repo.commitBatch([cmd(a1, u[0], 5), cmd(a1, u[1], 5)], T + 1);
    assert.deepEqual(again.outcomes.map((o) => (o.kind === "rejected" ? o.code : [o.kind, o.newScore])), [["replay", 5], "INVALID_ACTION"]);
    assert.deepEqual(again.rows, []);
    const shared = randomUUID();
    const same = await repo.commitBatch([cmd(shared, u[0], 1), cmd(shared, u[1], 1)], T + 2);
    assert.deepEqual(same.outcomes.map((o) => (o.kind === "rejected" ? o.code : [o.kind, o.newScore])), [["committed", 15], "INVALID_ACTION"], "another user's action_id in the same batch");
  });

  it("answers an active user's action as committed when a banned or unknown user's command with the same action_id comes first in the batch", async () => {
    const cmd = (actionId: string, userId: number) => ({ actionId, userId, actionType: "x", board: "classic", points: 4 });
    for (const blocker of [u[2], 999_999]) {
      const shared = randomUUID();
      const { outcomes } = await repo.commitBatch([cmd(shared, blocker), cmd(shared, u[1]), cmd(shared, u[1])], T + 3);
      const [row] = await db.sql.query<{ user_id: number; new_score: string }>("SELECT user_id, new_score FROM score_history WHERE action_id = $1", [shared]);
      assert.equal(Number(row.user_id), u[1], "the active user's action was committed");
      const answers = outcomes.map((o) => (o.kind === "rejected" ? o.code : [o.kind, o.newScore]));
      assert.deepEqual(answers.slice(1), [["committed", Number(row.new_score)], ["replay", Number(row.new_score)]], "answers match what was committed");
      assert.equal(answers[0], blocker === u[2] ? "ACCOUNT_BANNED" : "VALIDATION_FAILED");
    }
  });

  it("refuses a command whose user id or points do not fit an integer without failing the rest of the batch", async () => {
    const cmd = (userId: number, points = 1) => ({ actionId: randomUUID(), userId, actionType: "x", board: "shaky", points });
    const { outcomes } = await repo.commitBatch([cmd(2 ** 31), cmd(u[0]), cmd(u[1], 2 ** 31), cmd(-1), cmd(1.5), { ...cmd(u[0]), actionType: "t".repeat(60) }, cmd(u[1])], T + 4);
    assert.deepEqual(outcomes.map((o) => (o.kind === "rejected" ? o.code : o.kind)), ["VALIDATION_FAILED", "committed", "VALIDATION_FAILED", "VALIDATION_FAILED", "VALIDATION_FAILED", "VALIDATION_FAILED", "committed"]);
  });

  it("keeps the lowest time on the steps board and moves reached_at only on improvement", async () => {
    const cmd = (points: number) => ({ actionId: randomUUID(), userId: u[1], actionType: "game_result:steps", board: "steps", points });
    await repo.commitBatch([cmd(9000)], T);
    const better = await repo.commitBatch([cmd(8000), cmd(8500)], T + 10);
    assert.deepEqual(better.outcomes.map((o) => (o as { newScore: number }).newScore), [8000, 8000]);
    const worse = await repo.commitBatch([cmd(8800)], T + 20);
    const all = worse.rows.find((r) => r.period === "all")!;
    assert.equal(all.score, 8000);
    assert.equal(all.reachedAtMs, T + 10);
  });

  it("batches concurrent submissions into few commits and answers each caller", async () => {
    let calls = 0;
    const batcher = new GroupCommitBatcher(async (items: number[]) => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      return items.map((i) => i * 2);
    }, { maxBatch: 10, maxWaitMs: 0, concurrency: 1 });
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => batcher.submit(i)));
    assert.deepEqual(results, Array.from({ length: 25 }, (_, i) => i * 2));
    assert.ok(calls <= 4, `${calls} commits for 25 items`);
    const failing = new GroupCommitBatcher<number, number>(async () => Promise.reject(new Error("db down")), { maxBatch: 10, maxWaitMs: 0, concurrency: 1 });
    await assert.rejects(failing.submit(1), /db down/);
  });
});
