import assert from "node:assert/strict";
import jwt from "jsonwebtoken";
import { startTestBackend, storageMode, type ApiResponse, type TestBackend } from "./support/test-backend.ts";

const sidOf = (token: string) => (jwt.decode(token) as { sid: string }).sid;
/** The `arena_refresh=<token>` pair a response sets, or undefined. */
const setCookie = (res: ApiResponse) => /^arena_refresh=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0];

describe(`auth: the refresh cookie rotates on GET /current_user (${storageMode})`, () => {
  let t: TestBackend;
  let clock = Date.now();
  before(async () => {
    clock = Date.now();
    t = await startTestBackend({ now: () => clock, env: { REFRESH_COOKIE_GRACE: "30" } });
  });
  after(() => t.close());

  it("answers a fresh JWT and a new cookie; the new cookie works and rotates in turn", async () => {
    const { body: login, cookie } = await t.login("rotating_tab");
    const first = await t.api("GET", "/current_user", { cookie });
    assert.equal(first.body.logged_in, true);
    assert.equal(sidOf(first.body.jwt), sidOf(login.access_token));
    const next = setCookie(first);
    assert.ok(next, "a new arena_refresh cookie is set");
    assert.notEqual(next, cookie);
    assert.match(first.headers.get("set-cookie") ?? "", /HttpOnly/);

    const second = await t.api("GET", "/current_user", { cookie: next });
    assert.equal(second.body.logged_in, true);
    assert.ok(setCookie(second) && setCookie(second) !== next, "rotates again");
    assert.equal((await t.api("POST", "/auth/heartbeat", { token: second.body.jwt })).status, 200);
  });

  it("answers two concurrent calls with the same cookie; only one mints a new cookie", async () => {
    const { body: login, cookie } = await t.login("two_tabs");
    const [a, b] = await Promise.all([t.api("GET", "/current_user", { cookie }), t.api("GET", "/current_user", { cookie })]);
    for (const res of [a, b]) {
      assert.equal(res.status, 200);
      assert.equal(res.body.logged_in, true);
      assert.equal(sidOf(res.body.jwt), sidOf(login.access_token));
    }
    const minted = [a, b].map(setCookie).filter(Boolean);
    assert.equal(minted.length, 1, "exactly one response rotates the cookie");
    assert.ok(await t.sessions.get(sidOf(login.access_token)), "the session lives");
    assert.equal((await t.api("GET", "/current_user", { cookie: minted[0] })).body.logged_in, true);
  });

  it("accepts the just-replaced cookie within the grace window, without minting another one", async () => {
    const { cookie } = await t.login("late_tab");
    const rotated = await t.api("GET", "/current_user", { cookie });
    clock += 29_000;
    const late = await t.api("GET", "/current_user", { cookie });
    assert.equal(late.body.logged_in, true);
    assert.equal(setCookie(late), undefined, "no second successor for the old cookie");
    assert.equal((await t.api("POST", "/auth/heartbeat", { cookie })).status, 200, "heartbeat honours the grace too");
    assert.equal((await t.api("GET", "/current_user", { cookie: setCookie(rotated) })).body.logged_in, true);
  });

  it("treats the old cookie after the grace window as reuse: the whole session is revoked", async () => {
    const { body: login, cookie } = await t.login("stolen_cookie");
    const rotated = await t.api("GET", "/current_user", { cookie });
    const current = setCookie(rotated)!;
    clock += 31_000;
    const replay = await t.api("GET", "/current_user", { cookie });
    assert.equal(replay.status, 401);
    assert.equal(replay.body.error_code, "REFRESH_TOKEN_REUSED");
    assert.equal(await t.sessions.get(sidOf(login.access_token)), null, "session revoked");
    assert.equal((await t.api("GET", "/current_user", { cookie: current })).body.logged_in, false, "the newer cookie dies too");
    assert.equal((await t.api("POST", "/auth/heartbeat", { token: rotated.body.jwt })).body.error_code, "SESSION_EXPIRED");
  });

  it("keeps POST /auth/refresh strict: a just-replaced cookie there is reuse", async () => {
    const { body: login, cookie } = await t.login("strict_refresh");
    assert.ok(setCookie(await t.api("GET", "/current_user", { cookie })));
    const res = await t.api("POST", "/auth/refresh", { cookie });
    assert.equal(res.status, 401);
    assert.equal(res.body.error_code, "REFRESH_TOKEN_REUSED");
    assert.equal(await t.sessions.get(sidOf(login.access_token)), null);
  });

  it("treats a cookie spent by /auth/refresh as reuse once the grace window has passed", async () => {
    const { body: login, cookie } = await t.login("cookie_reuse");
    assert.equal((await t.api("POST", "/auth/refresh", { cookie })).status, 200);
    clock += 31_000;
    const res = await t.api("GET", "/current_user", { cookie });
    assert.equal(res.status, 401);
    assert.equal(res.body.error_code, "REFRESH_TOKEN_REUSED");
    assert.equal(await t.sessions.get(sidOf(login.access_token)), null);
  });

  it("does not rotate anything for a Bearer token", async () => {
    const { body: login } = await t.login("bearer_only");
    const res = await t.api("GET", "/current_user", { token: login.access_token });
    assert.equal(res.body.logged_in, true);
    assert.equal(setCookie(res), undefined);
    assert.equal((await t.api("POST", "/auth/refresh", { body: { refresh_token: login.refresh_token } })).status, 200, "the refresh token was not spent");
  });
});
