import assert from "node:assert/strict";
import jwt from "jsonwebtoken";
import { DEFAULT_SKIN_ID, findSkin, SKINS } from "@arena/shared/progression/index";
import { startTestBackend, storageMode, type TestBackend } from "./support/test-backend.ts";

const ADMIN = "points_admin";
const claimsOf = (token: string) => jwt.decode(token) as { sub: string; skin?: string };

describe(`progression API: profile, skins, admin points (${storageMode})`, () => {
  let t: TestBackend;
  let adminToken: string;
  before(async () => {
    t = await startTestBackend({ env: { ADMIN_USERNAMES: ADMIN } });
    adminToken = (await t.login(ADMIN)).body.access_token;
  });
  after(() => t.close());

  /** A fresh player (login grants the 50-point daily bonus), topped up by an admin to `balance`. */
  async function player(name: string, balance = 50) {
    const { body } = await t.login(name);
    if (balance !== 50) {
      const res = await t.api("POST", `/api/admin/users/${body.user.id}/points`, { token: adminToken, body: { amount: balance - 50, reason: "test top-up" } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    return { id: body.user.id as string, token: body.access_token as string };
  }
  const balanceOf = async (token: string) => (await t.api("GET", "/api/profile", { token })).body.balance as number;

  describe("GET /api/skins", () => {
    it("lists the catalogue, nothing owned, to a visitor", async () => {
      const res = await t.api("GET", "/api/skins");
      assert.equal(res.status, 200);
      assert.equal(res.body.skins.length, SKINS.length);
      assert.ok(res.body.skins.length >= 8);
      assert.ok(res.body.skins.every((s: { owned: boolean; look: { shape: string } }) => !s.owned && s.look.shape));
    });
    it("marks the free default skin owned and equipped for a player", async () => {
      const p = await player("skins_viewer");
      const res = await t.api("GET", "/api/skins", { token: p.token });
      const mine = res.body.skins.filter((s: { owned: boolean }) => s.owned).map((s: { id: string }) => s.id);
      assert.deepEqual(mine, [DEFAULT_SKIN_ID]);
      assert.equal(res.body.skins.find((s: { equipped: boolean }) => s.equipped).id, DEFAULT_SKIN_ID);
    });
    it("refuses a bad Bearer token instead of treating it as a visitor", async () => {
      assert.equal((await t.api("GET", "/api/skins", { token: "nope" })).status, 401);
    });
  });

  describe("POST /api/skins/:id/unlock", () => {
    it("spends the price once; unlocking again answers 200 and spends nothing", async () => {
      const p = await player("unlocker", 250);
      const first = await t.api("POST", "/api/skins/sunny-square/unlock", { token: p.token });
      assert.equal(first.status, 200);
      assert.deepEqual(first.body, { success: true, skin_id: "sunny-square", spent: true, balance: 50 });
      const again = await t.api("POST", "/api/skins/sunny-square/unlock", { token: p.token });
      assert.deepEqual(again.body, { success: true, skin_id: "sunny-square", spent: false, balance: 50 });
      const profile = (await t.api("GET", "/api/profile", { token: p.token })).body;
      assert.deepEqual(profile.owned_skins, [DEFAULT_SKIN_ID, "sunny-square"]);
      assert.deepEqual(profile.ledger.filter((r: { reason: string }) => r.reason === "skin_unlock").map((r: { amount: number; reference: string }) => [r.amount, r.reference]), [[-200, "sunny-square"]]);
    });
    it("answers 409 INSUFFICIENT_POINTS with the balance and the price", async () => {
      const p = await player("short_of_points");
      const res = await t.api("POST", "/api/skins/gold-star/unlock", { token: p.token });
      assert.equal(res.status, 409);
      assert.equal(res.body.error_code, "INSUFFICIENT_POINTS");
      assert.equal(res.body.balance, 50);
      assert.equal(res.body.price, findSkin("gold-star")!.price);
      assert.equal(await balanceOf(p.token), 50);
    });
    it("answers 404 SKIN_NOT_FOUND for an unknown skin", async () => {
      const p = await player("unknown_skin");
      for (const id of ["no-such-skin", "%3Cscript%3E", "x".repeat(300)]) {
        const res = await t.api("POST", `/api/skins/${id}/unlock`, { token: p.token });
        assert.equal(res.status, 404);
        assert.equal(res.body.error_code, "SKIN_NOT_FOUND");
      }
    });
    it("needs a login", async () => {
      assert.equal((await t.api("POST", "/api/skins/sunny-square/unlock")).status, 401);
    });
    it("spends once when 20 unlocks race against a balance that covers one", async () => {
      const p = await player("racer", 400);
      const ids = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? "sunny-square" : "ruby-diamond"));
      const answers = await Promise.all(ids.map((id) => t.api("POST", `/api/skins/${id}/unlock`, { token: p.token })));
      const spent = answers.filter((a) => a.status === 200 && a.body.spent);
      assert.equal(spent.length, 1, JSON.stringify(answers.map((a) => a.body)));
      assert.ok(answers.every((a) => a.status === 200 || a.body.error_code === "INSUFFICIENT_POINTS"));
      const winner = spent[0].body.skin_id as string;
      const profile = (await t.api("GET", "/api/profile", { token: p.token })).body;
      assert.equal(profile.balance, 400 - findSkin(winner)!.price);
      assert.deepEqual(profile.owned_skins, [DEFAULT_SKIN_ID, winner]);
      assert.equal(profile.ledger.filter((r: { reason: string }) => r.reason === "skin_unlock").length, 1);
    });
  });

  describe("POST /api/skins/:id/equip", () => {
    it("answers 403 SKIN_NOT_OWNED for a locked skin and 404 for an unknown one", async () => {
      const p = await player("equipper_locked");
      const locked = await t.api("POST", "/api/skins/gold-star/equip", { token: p.token });
      assert.equal(locked.status, 403);
      assert.equal(locked.body.error_code, "SKIN_NOT_OWNED");
      assert.equal((await t.api("POST", "/api/skins/nope/equip", { token: p.token })).body.error_code, "SKIN_NOT_FOUND");
      assert.equal((await t.api("GET", "/api/profile", { token: p.token })).body.equipped_skin, DEFAULT_SKIN_ID);
    });
    it("wears an owned skin: a fresh JWT carries it, and so do later tokens of the session", async () => {
      const p = await player("equipper", 150);
      assert.equal(claimsOf(p.token).skin, DEFAULT_SKIN_ID);
      await t.api("POST", "/api/skins/mint-ring/unlock", { token: p.token });
      const res = await t.api("POST", "/api/skins/mint-ring/equip", { token: p.token });
      assert.equal(res.status, 200);
      assert.equal(res.body.equipped_skin, "mint-ring");
      assert.equal(claimsOf(res.body.access_token).skin, "mint-ring");
      assert.equal(claimsOf(res.body.access_token).sub, p.id);
      const current = await t.api("GET", "/current_user", { token: res.body.access_token });
      assert.equal(claimsOf(current.body.jwt).skin, "mint-ring");
      const login = await t.login("equipper");
      assert.equal(claimsOf(login.body.access_token).skin, "mint-ring");
      const back = await t.api("POST", `/api/skins/${DEFAULT_SKIN_ID}/equip`, { token: p.token });
      assert.equal(claimsOf(back.body.access_token).skin, DEFAULT_SKIN_ID);
    });
  });

  describe("GET /api/profile and /api/profile/:username", () => {
    it("shows the owner balance, lifetime, streak, skins and the last 20 ledger rows, newest first", async () => {
      const p = await player("ledger_owner");
      for (let i = 1; i <= 22; i++) {
        await t.api("POST", `/api/admin/users/${p.id}/points`, { token: adminToken, body: { amount: i, reason: "ledger fill", reference: `fill-${i}` } });
      }
      const res = await t.api("GET", "/api/profile", { token: p.token });
      assert.equal(res.status, 200);
      assert.equal(res.body.username, "ledger_owner");
      assert.equal(res.body.balance, 50 + (22 * 23) / 2);
      assert.equal(res.body.lifetime_earned, res.body.balance);
      assert.equal(res.body.login_streak, 1);
      assert.equal(res.body.ledger.length, 20);
      assert.equal(res.body.ledger[0].reference, "fill-22");
      assert.equal(res.body.ledger[19].reference, "fill-3");
    });
    it("needs a login", async () => {
      assert.equal((await t.api("GET", "/api/profile")).status, 401);
    });
    it("shows a public card with nothing private", async () => {
      await player("card_owner", 300);
      const res = await t.api("GET", "/api/profile/Card_Owner");
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body).sort(), ["best_placements", "equipped_skin", "lifetime_points", "success", "username"]);
      assert.equal(res.body.username, "card_owner");
      assert.equal(res.body.lifetime_points, 300);
      assert.equal(res.body.equipped_skin, DEFAULT_SKIN_ID);
      assert.ok(Array.isArray(res.body.best_placements));
    });
    it("answers 404 for an unknown player and 400 for a name that cannot be one", async () => {
      assert.equal((await t.api("GET", "/api/profile/nobody_here")).body.error_code, "NOT_FOUND");
      assert.equal((await t.api("GET", "/api/profile/a")).body.error_code, "VALIDATION_FAILED");
    });
  });

  describe("POST /api/admin/users/:id/points", () => {
    it("adjusts with a reason: ledger row, audit row, once per reference", async () => {
      const p = await player("adjusted");
      const body = { amount: -30, reason: "refund abuse", reference: "ticket-77" };
      const res = await t.api("POST", `/api/admin/users/${p.id}/points`, { token: adminToken, body });
      assert.deepEqual(res.body, { success: true, user_id: p.id, amount: -30, balance: 20, reference: "ticket-77", replay: false });
      const again = await t.api("POST", `/api/admin/users/${p.id}/points`, { token: adminToken, body });
      assert.equal(again.body.replay, true);
      assert.equal(await balanceOf(p.token), 20);
      const audit = await t.db.sql.query<{ data: { note: string; amount: number } }>("SELECT data FROM audit_log WHERE event = 'admin.points' AND user_id = $1", [Number(p.id)]);
      assert.equal(audit.length, 1);
      assert.equal(audit[0].data.note, "refund abuse");
      const profile = (await t.api("GET", "/api/profile", { token: p.token })).body;
      assert.equal(profile.lifetime_earned, 50, "a deduction does not reduce what was earned");
    });
    it("never takes a balance below 0", async () => {
      const p = await player("overdrawn");
      const res = await t.api("POST", `/api/admin/users/${p.id}/points`, { token: adminToken, body: { amount: -51, reason: "too much" } });
      assert.equal(res.status, 409);
      assert.equal(res.body.error_code, "INSUFFICIENT_POINTS");
      assert.equal(res.body.balance, 50);
      assert.equal(await balanceOf(p.token), 50);
    });
    it("refuses players, unknown users and bad bodies", async () => {
      const p = await player("not_an_admin");
      assert.equal((await t.api("POST", `/api/admin/users/${p.id}/points`, { token: p.token, body: { amount: 5, reason: "me" } })).status, 403);
      assert.equal((await t.api("POST", `/api/admin/users/${p.id}/points`, { body: { amount: 5, reason: "me" } })).status, 401);
      assert.equal((await t.api("POST", "/api/admin/users/999999/points", { token: adminToken, body: { amount: 5, reason: "ghost" } })).status, 404);
      assert.equal((await t.api("POST", "/api/admin/users/abc/points", { token: adminToken, body: { amount: 5, reason: "x" } })).status, 400);
      for (const body of [{ amount: 0, reason: "zero" }, { amount: 1.5, reason: "half" }, { amount: 5 }, { amount: 5, reason: "" }, { amount: 5, reason: "x", reference: "bad ref!" }]) {
        const res = await t.api("POST", `/api/admin/users/${p.id}/points`, { token: adminToken, body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.error_code, "VALIDATION_FAILED");
      }
      assert.equal(await balanceOf(p.token), 50);
    });
  });
});

describe("progression configuration", () => {
  it("reads PLACEMENT_MULTIPLIERS and refuses a malformed one, naming the key", async () => {
    const { loadBackendConfig } = await import("../src/config.ts");
    assert.deepEqual(loadBackendConfig({}).PLACEMENT_MULTIPLIERS, [3, 2, 1.5]);
    assert.deepEqual(loadBackendConfig({ PLACEMENT_MULTIPLIERS: "4, 2" }).PLACEMENT_MULTIPLIERS, [4, 2]);
    for (const bad of ["3,,2", "x", "-1", "1000"]) assert.throws(() => loadBackendConfig({ PLACEMENT_MULTIPLIERS: bad }), /PLACEMENT_MULTIPLIERS/);
    assert.throws(() => loadBackendConfig({ DAILY_LOGIN_BONUS: "-5" }), /DAILY_LOGIN_BONUS/);
  });
});
