import assert from "node:assert/strict";
import type { IdentityClaims } from "@arena/shared";
import { signIdentityToken } from "@arena/shared/tokens/identity-token";
import { AppError } from "@arena/shared";
import { createAuthMiddlewares, type AuthMiddlewares } from "../src/http/auth-middleware.ts";
import { VerifiedTokenCache } from "../src/http/verified-token-cache.ts";
import type { IdentityKeyStore } from "../src/keys/identity-key-store.ts";
import { startTestBackend, storageMode, type TestBackend } from "./support/test-backend.ts";

const claimsOf = (exp: number, sub = "1"): IdentityClaims =>
  ({ sub, nick: "n", sid: `sid-${sub}`, role: "player", iss: "i", aud: "a", typ: "identity", iat: exp - 60, exp }) as IdentityClaims;
/** A token-shaped string whose header names `kid` (the cache reads only the header). */
const tokenWith = (kid: string, n: number) => `${Buffer.from(JSON.stringify({ alg: "ES256", kid })).toString("base64url")}.payload${n}.sig`;

describe("VerifiedTokenCache", () => {
  const always = () => true;

  it("keeps at most maxEntries, dropping the least recently used", () => {
    const cache = new VerifiedTokenCache(3);
    for (let i = 0; i < 3; i++) cache.put(tokenWith("k", i), claimsOf(1000));
    assert.ok(cache.get(tokenWith("k", 0), 10, always)); // 0 is now the most recently used
    for (let i = 3; i < 50; i++) {
      cache.put(tokenWith("k", i), claimsOf(1000));
      assert.ok(cache.size <= 3);
    }
    assert.equal(cache.size, 3);
    assert.equal(cache.get(tokenWith("k", 0), 10, always), undefined);
    assert.ok(cache.get(tokenWith("k", 49), 10, always));
  });

  it("forgets a token at its exp", () => {
    const cache = new VerifiedTokenCache(10);
    cache.put(tokenWith("k", 1), claimsOf(100));
    assert.equal(cache.get(tokenWith("k", 1), 99, always)?.exp, 100);
    assert.equal(cache.get(tokenWith("k", 1), 100, always), undefined);
    assert.equal(cache.size, 0);
    assert.equal(cache.get(tokenWith("k", 1), 99, always), undefined);
  });

  it("forgets a token whose key is no longer known", () => {
    const cache = new VerifiedTokenCache(10);
    cache.put(tokenWith("old", 1), claimsOf(100));
    assert.equal(cache.get(tokenWith("old", 1), 10, (kid) => kid !== "old"), undefined);
    assert.equal(cache.size, 0);
  });

  it("holds nothing with size 0 and hands out frozen claims", () => {
    const cache = new VerifiedTokenCache(0);
    const claims = cache.put(tokenWith("k", 1), claimsOf(100));
    assert.ok(Object.isFrozen(claims));
    assert.equal(cache.size, 0);
    assert.equal(cache.get(tokenWith("k", 1), 10, always), undefined);
  });
});

describe(`authenticate with the verified-token cache (${storageMode})`, () => {
  let t: TestBackend;
  let clock = Date.now();
  const now = () => clock;
  let dropped: Set<string>;
  let auth: AuthMiddlewares;

  const refusal = async (token: string) => {
    try {
      await auth.authenticate(token);
    } catch (err) {
      assert.ok(err instanceof AppError);
      return err.code;
    }
    return "accepted";
  };

  before(async () => {
    // The backend (and its session store) keeps the real clock; only this authenticator's clock moves.
    t = await startTestBackend();
  });
  after(() => t.close());
  beforeEach(() => {
    clock = Date.now();
    dropped = new Set();
    const real = t.running.backend.keys;
    const keys = { ...real, resolve: (kid: string) => (dropped.has(kid) ? undefined : real.resolve(kid)) } as IdentityKeyStore;
    auth = createAuthMiddlewares({ config: { ...t.config, IDENTITY_CACHE_SIZE: 100 }, keys, sessions: t.sessions, now });
  });

  it("still refuses a cached token once its session is logged out or revoked", async () => {
    const { body } = await t.login("cache_logout");
    assert.equal((await auth.authenticate(body.access_token)).sub, body.user.id);
    assert.equal((await auth.authenticate(body.access_token)).sub, body.user.id);
    const res = await t.api("POST", "/auth/logout", { headers: { authorization: `Bearer ${body.access_token}` } });
    assert.ok(res.status < 300, JSON.stringify(res.body));
    assert.equal(await refusal(body.access_token), "SESSION_EXPIRED");

    const second = (await t.login("cache_revoked")).body;
    await auth.authenticate(second.access_token);
    const sid = (await auth.authenticate(second.access_token)).sid;
    await t.sessions.delete(sid);
    assert.equal(await refusal(second.access_token), "SESSION_EXPIRED");
  });

  it("refuses a cached token after its exp", async () => {
    const { body } = await t.login("cache_expiry");
    const claims = await auth.authenticate(body.access_token);
    clock = claims.exp * 1000 - 1;
    assert.equal((await auth.authenticate(body.access_token)).sub, body.user.id);
    clock = claims.exp * 1000;
    assert.equal(await refusal(body.access_token), "UNAUTHORIZED");
  });

  it("refuses a token for another audience or issuer on the same live session while the good one is cached", async () => {
    const { body } = await t.login("cache_audience");
    const claims = await auth.authenticate(body.access_token);
    const sign = (audience: string, issuer: string) =>
      signIdentityToken({ sub: claims.sub, nick: claims.nick, sid: claims.sid, role: claims.role }, t.running.backend.keys.signing, { issuer, audience, ttlSeconds: 600 });
    assert.equal(await refusal(sign("another-service", t.config.JWT_ISSUER)), "UNAUTHORIZED");
    assert.equal(await refusal(sign(t.config.JWT_AUDIENCE, "another-issuer")), "UNAUTHORIZED");
    assert.equal(await refusal(sign(t.config.JWT_AUDIENCE, t.config.JWT_ISSUER)), "accepted");
  });

  it("refuses a cached token once its signing key is dropped from the key store", async () => {
    const { body } = await t.login("cache_key");
    await auth.authenticate(body.access_token);
    dropped.add(t.running.backend.keys.signing.kid);
    assert.equal(await refusal(body.access_token), "UNAUTHORIZED");
  });

  it("hands out claims that a handler cannot change for the next request", async () => {
    const { body } = await t.login("cache_frozen");
    const claims = await auth.authenticate(body.access_token);
    assert.ok(Object.isFrozen(claims));
    assert.throws(() => Object.defineProperty(claims, "role", { value: "admin" }));
    assert.equal((await auth.authenticate(body.access_token)).role, "player");
  });
});
