import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { TestBackend } from "./support/test-backend.ts";
import { action, newPlayer, postScore, serviceKeys, startScoresBackend } from "./scores-support.ts";

const mode = `${process.env.DATABASE_URL ? "postgres" : "pglite"} + ${process.env.REDIS_URL ? "redis" : "memory"}`;

describe(`admin review queue (${mode})`, function () {
  let backend: TestBackend;
  let admin: { id: string; token: string };
  const keys = serviceKeys();
  before(async () => {
    const adminName = `root${Date.now().toString(36).slice(-5)}`;
    backend = await startScoresBackend({ ADMIN_USERNAMES: adminName, SERVICE_PUBLIC_KEY: keys.publicPem, SUSPICIOUS_VELOCITY_THRESHOLD: "10" });
    const { body } = await backend.login(adminName);
    admin = { id: String(body.user.id), token: body.access_token };
  });
  after(async () => backend?.close());

  const flags = async (status = "open") => (await backend.api("GET", `/api/admin/flags?status=${status}`, { token: admin.token })).body.flags as any[];

  it("is for admins only", async () => {
    const p = await newPlayer(backend);
    assert.equal((await backend.api("GET", "/api/admin/flags")).status, 401);
    const res = await backend.api("GET", "/api/admin/flags", { token: p.token });
    assert.equal(res.status, 403);
    assert.equal(res.body.error_code, "FORBIDDEN");
    assert.equal((await backend.api("POST", "/api/admin/users/1/ban", { token: p.token })).status, 403);
  });

  it("answers 400 VALIDATION_FAILED for user ids beyond PostgreSQL integer", async () => {
    for (const id of ["9999999999", "2147483648"]) {
      const res = await backend.api("POST", `/api/admin/users/${id}/ban`, { token: admin.token });
      assert.deepEqual([res.status, res.body.error_code], [400, "VALIDATION_FAILED"], id);
    }
    assert.equal((await backend.api("POST", "/api/admin/users/2147483647/ban", { token: admin.token })).status, 404);
  });

  it("lists a velocity flag with its evidence, and clears it", async () => {
    const p = await newPlayer(backend, "fast");
    await postScore(backend, p.token, action(400));
    await postScore(backend, p.token, action(400)); // 800 points in a minute > 10/s × 60 s
    let flag: any;
    for (let i = 0; i < 100 && !flag; i++) {
      flag = (await flags()).find((f) => f.user_id === p.id);
      if (!flag) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(flag, "flag listed");
    assert.equal(flag.reason, "SUSPICIOUS_VELOCITY");
    assert.equal(flag.username, p.username);
    assert.equal(flag.evidence.points_in_window, 800);
    const cleared = await backend.api("POST", `/api/admin/flags/${flag.id}/clear`, { token: admin.token });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.body.flag.status, "cleared");
    assert.equal(cleared.body.flag.resolved_by, admin.id);
    assert.ok(!(await flags()).some((f) => f.id === flag.id));
    assert.equal((await backend.api("POST", `/api/admin/flags/${flag.id}/clear`, { token: admin.token })).status, 404);
  });

  it("a retried ban clears the rank cache even when the first one deleted the rows but not the cache entries", async function () {
    if (!process.env.REDIS_URL) this.skip();
    const p = await newPlayer(backend, "stale");
    await postScore(backend, p.token, action(950));
    const members = `${backend.config.REDIS_KEY_PREFIX}lbm:general:all`;
    const redis = new Redis(process.env.REDIS_URL);
    try {
      assert.equal(await redis.hexists(members, p.id), 1);
      await backend.db.sql.query("DELETE FROM scores WHERE user_id = $1", [Number(p.id)]); // as a ban whose cache removal failed
      assert.equal((await backend.api("POST", `/api/admin/users/${p.id}/ban`, { token: admin.token })).status, 200);
      assert.equal(await redis.hexists(members, p.id), 0, "removed from the cache");
      assert.ok(!(await backend.api("GET", "/api/scoreboard")).body.leaderboard.some((e: any) => e.user_id === p.id));
    } finally {
      redis.disconnect();
    }
  });

  it("bans from a game-server flag: sessions die, scores leave the boards, results are refused", async () => {
    const p = await newPlayer(backend, "cheat");
    await postScore(backend, p.token, action(900));
    assert.equal((await backend.api("GET", "/api/scoreboard")).body.leaderboard[0].user_id, p.id);
    const flagId = randomUUID();
    for (let i = 0; i < 2; i++) {
      const res = await backend.api("POST", "/internal/flags", { token: keys.sign(), body: { flag_id: flagId, user_id: p.id, reason: "BURST_ABUSE", evidence: { burst: 40 } } });
      assert.deepEqual(res.body, { success: true, flag_id: flagId });
    }
    const listed = (await flags()).filter((f) => f.user_id === p.id && f.reason === "BURST_ABUSE");
    assert.equal(listed.length, 1, "flag_id is an idempotency key");
    assert.equal(listed[0].evidence.burst, 40);

    const ban = await backend.api("POST", `/api/admin/flags/${listed[0].id}/ban`, { token: admin.token });
    assert.equal(ban.status, 200);
    assert.equal(ban.body.user_id, p.id);
    assert.ok(ban.body.sessions_revoked >= 1);

    const post = await postScore(backend, p.token, action(1));
    assert.equal(post.status, 401, "every token of a banned account dies");
    const login = await backend.api("POST", "/auth/login", { body: { username: p.username, password: "correct horse battery" } });
    assert.equal(login.status, 403);
    assert.equal(login.body.error_code, "ACCOUNT_BANNED");
    assert.ok(!(await backend.api("GET", "/api/scoreboard")).body.leaderboard.some((e: any) => e.user_id === p.id));
    const result = await backend.api("POST", "/internal/game-results", {
      token: keys.sign(),
      body: { result_id: randomUUID(), user_id: p.id, mode: "classic", score: 5, points: 5, started_at: new Date().toISOString(), ended_at: new Date().toISOString() },
    });
    assert.equal(result.status, 403);
    assert.equal(result.body.error_code, "ACCOUNT_BANNED");
    assert.ok((await flags("banned")).some((f) => f.user_id === p.id && f.reason === "BURST_ABUSE"), "open flags resolve as banned");
    assert.ok(!(await flags()).some((f) => f.user_id === p.id));
  });
});
