import assert from "node:assert/strict";
import jwt from "jsonwebtoken";
import type { SessionStore } from "@arena/shared";
import { newSessionStore, startTestBackend, storageMode, type TestBackend } from "./support/test-backend.ts";

const sidOf = (token: string) => (jwt.decode(token) as { sid: string }).sid;

describe(`auth: sessions, refresh, logout, heartbeat, current_user (${storageMode})`, () => {
  let t: TestBackend;
  before(async () => (t = await startTestBackend()));
  after(() => t.close());

  describe("POST /auth/refresh", () => {
    it("rotates: a new access token and refresh token; the old refresh token is spent", async () => {
      const { body: login } = await t.login("rotator");
      const first = await t.api("POST", "/auth/refresh", { body: { refresh_token: login.refresh_token } });
      assert.equal(first.status, 200);
      assert.notEqual(first.body.refresh_token, login.refresh_token);
      assert.equal(sidOf(first.body.access_token), sidOf(login.access_token), "same session");
      const second = await t.api("POST", "/auth/refresh", { body: { refresh_token: first.body.refresh_token } });
      assert.equal(second.status, 200);
      assert.equal((await t.api("POST", "/auth/heartbeat", { token: second.body.access_token })).status, 200);
    });

    it("revokes the whole session when a used refresh token comes back", async () => {
      const { body: login } = await t.login("reuser");
      const sid = sidOf(login.access_token);
      const rotated = await t.api("POST", "/auth/refresh", { body: { refresh_token: login.refresh_token } });
      assert.equal(rotated.status, 200);

      const replay = await t.api("POST", "/auth/refresh", { body: { refresh_token: login.refresh_token } });
      assert.equal(replay.status, 401);
      assert.equal(replay.body.error_code, "REFRESH_TOKEN_REUSED");

      assert.equal(await t.sessions.get(sid), null, "SessionStore forgot the session");
      assert.equal(await t.db.prisma.session.findUnique({ where: { id: sid } }), null, "session row deleted");
      const legit = await t.api("POST", "/auth/refresh", { body: { refresh_token: rotated.body.refresh_token } });
      assert.equal(legit.status, 401, "the legitimate holder's newer token dies too");
      assert.equal(legit.body.error_code, "INVALID_REFRESH_TOKEN");
      const bearer = await t.api("POST", "/auth/heartbeat", { token: rotated.body.access_token });
      assert.equal(bearer.body.error_code, "SESSION_EXPIRED", "access tokens of the session are refused");
    });

    it("accepts the refresh token from the cookie and sets the next one", async () => {
      const { cookie } = await t.login("cookie_refresher");
      const res = await t.api("POST", "/auth/refresh", { cookie });
      assert.equal(res.status, 200);
      assert.match(res.headers.get("set-cookie") ?? "", new RegExp(`^arena_refresh=${res.body.refresh_token};`));
    });

    it("refuses unknown, malformed and missing refresh tokens", async () => {
      const unknown = await t.api("POST", "/auth/refresh", { body: { refresh_token: "A".repeat(43) } });
      assert.equal(unknown.status, 401);
      assert.equal(unknown.body.error_code, "INVALID_REFRESH_TOKEN");
      const malformed = await t.api("POST", "/auth/refresh", { body: { refresh_token: "' OR 1=1 --" } });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error_code, "VALIDATION_FAILED");
      const missing = await t.api("POST", "/auth/refresh", { body: {} });
      assert.equal(missing.body.error_code, "INVALID_REFRESH_TOKEN");
    });

    it("refuses a banned user's refresh with ACCOUNT_BANNED and ends the session", async () => {
      const { body: login } = await t.login("banned_refresh");
      await t.db.prisma.user.update({ where: { username: "banned_refresh" }, data: { status: "banned" } });
      const res = await t.api("POST", "/auth/refresh", { body: { refresh_token: login.refresh_token } });
      assert.equal(res.status, 403);
      assert.equal(res.body.error_code, "ACCOUNT_BANNED");
      assert.equal(await t.sessions.get(sidOf(login.access_token)), null);
    });
  });

  describe("POST /auth/logout", () => {
    it("ends the session at once: SessionStore, access token and refresh token", async () => {
      const { body: login } = await t.login("leaver");
      const sid = sidOf(login.access_token);
      assert.ok(await t.sessions.get(sid));
      const res = await t.api("POST", "/auth/logout", { token: login.access_token });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { success: true });
      assert.equal(await t.sessions.get(sid), null, "gone from the SessionStore right after");
      assert.equal((await t.api("POST", "/auth/heartbeat", { token: login.access_token })).body.error_code, "SESSION_EXPIRED");
      assert.equal((await t.api("POST", "/auth/refresh", { body: { refresh_token: login.refresh_token } })).body.error_code, "INVALID_REFRESH_TOKEN");
      assert.equal((await t.api("GET", "/current_user", { token: login.access_token })).body.logged_in, false);
    });

    it("logs out with the cookie alone and clears it", async () => {
      const { body: login, cookie } = await t.login("cookie_leaver");
      const res = await t.api("POST", "/auth/logout", { cookie });
      assert.equal(res.status, 200);
      assert.match(res.headers.get("set-cookie") ?? "", /^arena_refresh=;.*Expires=Thu, 01 Jan 1970/);
      assert.equal(await t.sessions.get(sidOf(login.access_token)), null);
    });

    it("answers 401 without a credential", async () => {
      const res = await t.api("POST", "/auth/logout");
      assert.equal(res.status, 401);
      assert.equal(res.body.error_code, "UNAUTHORIZED");
    });
  });

  describe("GET /current_user", () => {
    it("answers logged_in with a fresh JWT for a Bearer token", async () => {
      const { body: login } = await t.login("viewer");
      const res = await t.api("GET", "/current_user", { token: login.access_token });
      assert.equal(res.status, 200);
      assert.equal(res.body.logged_in, true);
      assert.deepEqual(res.body.user, login.user);
      assert.equal(sidOf(res.body.jwt), sidOf(login.access_token));
      assert.equal((await t.api("POST", "/auth/heartbeat", { token: res.body.jwt })).status, 200, "the fresh JWT works");
    });

    it("answers logged_in:false without credentials or with a bad one", async () => {
      const none = await t.api("GET", "/current_user");
      assert.deepEqual(none.body, { logged_in: false, user: null, jwt: null });
      const garbage = await t.api("GET", "/current_user", { token: "not.a.jwt" });
      assert.deepEqual(garbage.body, { logged_in: false, user: null, jwt: null });
      const badCookie = await t.api("GET", "/current_user", { cookie: `arena_refresh=${"B".repeat(43)}` });
      assert.equal(badCookie.body.logged_in, false);
    });
  });

  describe("POST /auth/heartbeat", () => {
    it("extends the idle expiry", async () => {
      const { body: login } = await t.login("beater");
      const res = await t.api("POST", "/auth/heartbeat", { token: login.access_token });
      assert.equal(res.status, 200);
      const idle = Date.parse(res.body.idle_expires_at) - Date.now();
      assert.ok(idle > 500_000 && idle <= 600_000, `idle window follows HEARTBEAT_TIMEOUT (${idle})`);
      const record = await t.sessions.get(sidOf(login.access_token));
      assert.equal(record?.expiresAt, Date.parse(res.body.idle_expires_at));
    });

    it("accepts the refresh cookie instead of a Bearer token", async () => {
      const { cookie } = await t.login("cookie_beater");
      const res = await t.api("POST", "/auth/heartbeat", { cookie });
      assert.equal(res.status, 200);
      assert.equal(res.body.success, true);
    });

    it("answers ACCOUNT_BANNED for a banned user's session", async () => {
      const { body: login } = await t.login("banned_beater");
      await t.db.prisma.user.update({ where: { username: "banned_beater" }, data: { status: "banned" } });
      const res = await t.api("POST", "/auth/heartbeat", { token: login.access_token });
      assert.equal(res.status, 403);
      assert.equal(res.body.error_code, "ACCOUNT_BANNED");
      assert.equal(await t.sessions.get(sidOf(login.access_token)), null, "and the session is ended");
    });

    it("answers 401 without a credential", async () => {
      assert.equal((await t.api("POST", "/auth/heartbeat")).body.error_code, "UNAUTHORIZED");
    });
  });
});

describe(`auth: the heartbeat sweeper clears idle sessions (${storageMode})`, () => {
  let t: TestBackend;
  let clock = Date.now();
  // The store keeps real time (not the backend's clock), so only the sweeper can remove entries.
  const sessions = newSessionStore();
  before(async () => {
    clock = Date.now(); // not at file load: the store's real clock must not have passed the session's expiry yet
    t = await startTestBackend({ now: () => clock, sessions, env: { HEARTBEAT_TIMEOUT: "60", SESSION_SWEEP_INTERVAL: "1" } });
  });
  after(async () => {
    await t?.close();
    await sessions.close();
  });

  it("deletes sessions idle for HEARTBEAT_TIMEOUT from the DB and the SessionStore, keeps live ones", async () => {
    const { body: idle } = await t.login("idle_one");
    const { body: busy } = await t.login("busy_one");
    clock += 40_000;
    assert.equal((await t.api("POST", "/auth/heartbeat", { token: busy.access_token })).status, 200);
    clock += 30_000; // idle_one: 70 s without heartbeat; busy_one: 30 s
    const idleSid = sidOf(idle.access_token);
    const idleRow = () => t.db.prisma.session.findUnique({ where: { id: idleSid } });
    for (let i = 0; i < 50 && ((await t.sessions.get(idleSid)) || (await idleRow())); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await t.sessions.get(idleSid), null, "idle session left the SessionStore");
    assert.equal(await t.db.prisma.session.findUnique({ where: { id: idleSid } }), null, "idle session row deleted");
    assert.ok(await t.sessions.get(sidOf(busy.access_token)), "the session with a heartbeat lives");
    assert.equal((await t.api("GET", "/current_user", { token: busy.access_token })).body.logged_in, true);
  });
});

describe(`auth: a logout racing a session write leaves no live SessionStore entry (${storageMode})`, () => {
  let t: TestBackend;
  let raceOn: string | undefined;
  const raced: string[] = [];
  const inner = newSessionStore();
  // Ends the session (as a concurrent logout or ban would) right after the backend mirrors it.
  const racing: SessionStore = {
    put: async (sid, record) => {
      await inner.put(sid, record);
      if (raceOn === record.userId) {
        raced.push(sid);
        await t.db.prisma.session.deleteMany({ where: { id: sid } });
      }
    },
    get: (sid) => inner.get(sid),
    delete: (sid) => inner.delete(sid),
    claimRestore: () => inner.claimRestore(),
    restore: (sessions) => inner.restore(sessions),
    close: () => inner.close(),
  };
  before(async () => (t = await startTestBackend({ sessions: racing })));
  after(async () => {
    await t.close();
    await inner.close();
  });

  it("login whose session is deleted meanwhile answers SESSION_EXPIRED and mirrors nothing", async () => {
    const { body: first } = await t.login("racer");
    raceOn = first.user.id;
    const res = await t.api("POST", "/auth/login", { body: { username: "racer", password: "correct horse battery" } });
    assert.equal(res.status, 401);
    assert.equal(res.body.error_code, "SESSION_EXPIRED");
    assert.equal(raced.length, 1);
    assert.equal(await inner.get(raced[0]), null, "the deleted session is not left alive in the store");
    assert.ok(await inner.get(sidOf(first.access_token)), "the earlier session is untouched");
  });
});
