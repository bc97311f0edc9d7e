import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import jwt from "jsonwebtoken";
import { startTestBackend, storageMode, type TestBackend } from "./support/test-backend.ts";

const PASSWORD = "correct horse battery";

describe(`auth: register and login (${storageMode})`, () => {
  let t: TestBackend;
  let clock = Date.now();
  before(async () => {
    t = await startTestBackend({ now: () => clock, env: { ADMIN_USERNAMES: "Boss", LOGIN_LOCK_THRESHOLD: "3", LOGIN_LOCK_BASE: "30", LOGIN_LOCK_MAX: "100" } });
  });
  after(() => t.close());

  describe("POST /auth/register", () => {
    it("creates an account with the normalised username", async () => {
      const res = await t.api("POST", "/auth/register", { body: { username: "Ｒｅｇ_One", password: PASSWORD } });
      assert.equal(res.status, 201);
      assert.equal(res.body.success, true);
      assert.equal(res.body.user.username, "reg_one");
      assert.equal(res.body.user.role, "player");
      assert.match(res.body.user.id, /^\d+$/);
      const row = await t.db.prisma.user.findUniqueOrThrow({ where: { username: "reg_one" } });
      assert.match(row.passwordHash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      assert.ok(!row.passwordHash.includes(PASSWORD));
    });

    it("answers 409 USERNAME_TAKEN for a name that normalises to an existing one", async () => {
      const res = await t.api("POST", "/auth/register", { body: { username: "REG_ONE", password: PASSWORD } });
      assert.equal(res.status, 409);
      assert.deepEqual(res.body, { success: false, error_code: "USERNAME_TAKEN", message: "That username is taken." });
    });

    it("refuses reserved names and their look-alikes with 400 VALIDATION_FAILED", async () => {
      for (const username of ["admin", "Administrator", "r00t", "5ystem", "m0derat0r", "supp0rt", "ad_min", "admin1", "аdmin"]) {
        const res = await t.api("POST", "/auth/register", { body: { username, password: PASSWORD } });
        assert.equal(res.status, 400, username);
        assert.equal(res.body.error_code, "VALIDATION_FAILED", username);
      }
    });

    it("never grants admin at register, not even to an ADMIN_USERNAMES name", async () => {
      const res = await t.api("POST", "/auth/register", { body: { username: "boss", password: PASSWORD } });
      assert.equal(res.status, 201);
      assert.equal(res.body.user.role, "player");
      assert.equal((await t.db.prisma.user.findUniqueOrThrow({ where: { username: "boss" } })).role, "player");
    });

    const badBodies: Array<[string, unknown]> = [
      ["password too short", { username: "shorty", password: "1234567" }],
      ["password too long", { username: "longpw", password: "x".repeat(129) }],
      ["missing password", { username: "nopass" }],
      ["missing username", { password: PASSWORD }],
      ["username not a string", { username: 12345, password: PASSWORD }],
      ["password not a string", { username: "numpw", password: 12345678 }],
      ["array body", [1, 2, 3]],
      ["null body", null],
    ];
    for (const [name, body] of badBodies) {
      it(`refuses ${name} with 400 VALIDATION_FAILED`, async () => {
        const res = await t.api("POST", "/auth/register", { body });
        assert.equal(res.status, 400);
        assert.equal(res.body.error_code, "VALIDATION_FAILED");
        assert.equal(res.body.success, false);
      });
    }
  });

  describe("POST /auth/login", () => {
    before(() => t.api("POST", "/auth/register", { body: { username: "player1", password: PASSWORD } }));

    it("returns an ES256 identity JWT, a refresh token and the cookie", async () => {
      const res = await t.api("POST", "/auth/login", { body: { username: "Player1", password: PASSWORD } });
      assert.equal(res.status, 200);
      assert.equal(res.body.token_type, "Bearer");
      assert.equal(res.body.expires_in, 900);
      assert.match(res.body.refresh_token, /^[A-Za-z0-9_-]{43}$/);
      const header = jwt.decode(res.body.access_token, { complete: true })!.header;
      assert.equal(header.alg, "ES256");
      const jwks = (await t.api("GET", "/.well-known/jwks.json")).body;
      const jwk = jwks.keys.find((k: { kid: string }) => k.kid === header.kid);
      assert.ok(jwk, "kid is published in the JWKS");
      const claims = jwt.verify(res.body.access_token, createPublicKey({ key: jwk, format: "jwk" }), { algorithms: ["ES256"] }) as jwt.JwtPayload;
      assert.equal(claims.sub, res.body.user.id);
      assert.equal(claims.nick, "player1");
      assert.equal(claims.typ, "identity");
      assert.equal(claims.iss, "arena-backend");
      assert.equal(claims.aud, "arena");
      assert.equal(claims.exp! - claims.iat!, 900);
      assert.ok(Buffer.from(claims.sid, "base64url").length >= 16, "session id has at least 128 bits");
      assert.ok(await t.sessions.get(claims.sid), "session mirrored to the SessionStore");
      assert.ok(await t.db.prisma.session.findUnique({ where: { id: claims.sid } }), "session stored in user_sessions");
      const cookie = res.headers.get("set-cookie") ?? "";
      assert.match(cookie, /^arena_refresh=[A-Za-z0-9_-]{43};/);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      assert.equal(res.headers.get("cache-control"), "no-store");
    });

    it("answers the same INVALID_CREDENTIALS for a wrong password and an unknown user", async () => {
      const wrong = await t.api("POST", "/auth/login", { body: { username: "player1", password: "wrong password" } });
      const unknown = await t.api("POST", "/auth/login", { body: { username: "nobody_here", password: PASSWORD } });
      const invalid = await t.api("POST", "/auth/login", { body: { username: "ab\u0000c", password: PASSWORD } });
      for (const res of [wrong, unknown, invalid]) {
        assert.equal(res.status, 401);
        assert.deepEqual(res.body, { success: false, error_code: "INVALID_CREDENTIALS", message: "Invalid username or password." });
      }
      await t.api("POST", "/auth/login", { body: { username: "player1", password: PASSWORD } }); // resets the counter
    });

    it("locks the account after repeated failures, with growing retry_after", async () => {
      await t.api("POST", "/auth/register", { body: { username: "victim", password: PASSWORD } });
      const attempt = (password: string) => t.api("POST", "/auth/login", { body: { username: "victim", password } });
      assert.equal((await attempt("bad-1-password")).body.error_code, "INVALID_CREDENTIALS");
      assert.equal((await attempt("bad-2-password")).body.error_code, "INVALID_CREDENTIALS");
      const locked = await attempt("bad-3-password");
      assert.equal(locked.status, 429);
      assert.equal(locked.body.error_code, "ACCOUNT_LOCKED");
      assert.equal(locked.body.retry_after, 30);
      assert.equal(locked.headers.get("retry-after"), "30");

      const stillLocked = await attempt(PASSWORD);
      assert.equal(stillLocked.status, 429, "even the right password is refused while locked");
      assert.ok(stillLocked.body.retry_after > 0 && stillLocked.body.retry_after <= 30);

      clock += 31_000;
      const again = await attempt("bad-4-password");
      assert.equal(again.status, 429);
      assert.equal(again.body.retry_after, 60, "the next lock is longer");
      clock += 61_000;
      assert.equal((await attempt("bad-5-password")).body.retry_after, 100, "capped at LOGIN_LOCK_MAX");
      clock += 101_000;

      assert.equal((await attempt(PASSWORD)).status, 200, "the right password works once the lock has passed");
      assert.equal((await attempt("bad-6-password")).body.error_code, "INVALID_CREDENTIALS", "success reset the counter");
    });

    it("refuses a banned account with ACCOUNT_BANNED (only with the right password)", async () => {
      await t.api("POST", "/auth/register", { body: { username: "banned1", password: PASSWORD } });
      await t.db.prisma.user.update({ where: { username: "banned1" }, data: { status: "banned" } });
      const right = await t.api("POST", "/auth/login", { body: { username: "banned1", password: PASSWORD } });
      assert.equal(right.status, 403);
      assert.equal(right.body.error_code, "ACCOUNT_BANNED");
      const wrong = await t.api("POST", "/auth/login", { body: { username: "banned1", password: "not the password" } });
      assert.equal(wrong.body.error_code, "INVALID_CREDENTIALS");
    });

    it("promotes an ADMIN_USERNAMES account to admin at login", async () => {
      await t.api("POST", "/auth/register", { body: { username: "boss2", password: PASSWORD } });
      assert.equal((await t.api("POST", "/auth/login", { body: { username: "boss2", password: PASSWORD } })).body.user.role, "player");
      const res = await t.api("POST", "/auth/login", { body: { username: "boss", password: PASSWORD } });
      assert.equal(res.body.user.role, "admin");
      assert.equal((jwt.decode(res.body.access_token) as jwt.JwtPayload).role, "admin");
    });

    it("refuses missing fields with VALIDATION_FAILED", async () => {
      const res = await t.api("POST", "/auth/login", { body: { username: "player1" } });
      assert.equal(res.status, 400);
      assert.equal(res.body.error_code, "VALIDATION_FAILED");
    });
  });
});

describe(`auth: per-IP rate limit on register and login (${storageMode})`, () => {
  let t: TestBackend;
  before(async () => (t = await startTestBackend({ env: { AUTH_RATE_LIMIT: "3" } })));
  after(() => t.close());

  it("answers 429 RATE_LIMIT_EXCEEDED with retry_after once an IP spends its budget", async () => {
    const attempt = () => t.api("POST", "/auth/login", { body: { username: "nobody", password: "whatever-pass" } });
    for (let i = 0; i < 3; i++) assert.equal((await attempt()).body.error_code, "INVALID_CREDENTIALS");
    const limited = await attempt();
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error_code, "RATE_LIMIT_EXCEEDED");
    assert.ok(limited.body.retry_after >= 1 && limited.body.retry_after <= 60);
    const register = await t.api("POST", "/auth/register", { body: { username: "late_comer", password: PASSWORD } });
    assert.equal(register.status, 429, "register shares the budget");
    assert.equal((await t.api("GET", "/current_user")).status, 200, "other routes are not limited");
  });
});
