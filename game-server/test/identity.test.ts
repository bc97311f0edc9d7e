import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { AppError, MemorySessionStore } from "@arena/shared";
import { signIdentityToken } from "@arena/shared/tokens/identity-token";
import { pino } from "pino";
import { createIdentityAuth } from "@arena/shared/tokens/identity-auth";
import { jwksKeyResolver, pemKeyResolver } from "../src/identity/identity-keys.ts";

const log = pino({ level: "silent" });
const pair = () => generateKeyPairSync("ec", { namedCurve: "P-256" });

function fakeJwks(keys: Record<string, ReturnType<typeof pair>>) {
  const calls: number[] = [];
  const fetch = (async () => {
    calls.push(1);
    const body = { keys: Object.entries(keys).map(([kid, k]) => ({ ...k.publicKey.export({ format: "jwk" }), kid, alg: "ES256", use: "sig" })) };
    return new Response(JSON.stringify(body), { status: 200 });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

describe("jwksKeyResolver", () => {
  it("caches keys by kid", async () => {
    const k1 = pair();
    const jwks = fakeJwks({ k1 });
    const resolve = jwksKeyResolver({ url: "http://backend/jwks", refetchIntervalMs: 10_000, log, fetch: jwks.fetch });
    const first = await resolve("k1");
    assert.deepEqual(first!.export({ format: "jwk" }), k1.publicKey.export({ format: "jwk" }));
    await resolve("k1");
    assert.equal(jwks.calls.length, 1);
  });

  it("refetches on an unknown kid (rotation), at most once per interval", async () => {
    let now = 0;
    const keys: Record<string, ReturnType<typeof pair>> = { k1: pair() };
    const jwks = fakeJwks(keys);
    const resolve = jwksKeyResolver({ url: "http://backend/jwks", refetchIntervalMs: 10_000, log, fetch: jwks.fetch, now: () => now });
    await resolve("k1");
    now = 20_000;
    keys.k2 = pair();
    assert.ok(await resolve("k2"), "the rotated key is found");
    assert.equal(jwks.calls.length, 2);
    for (let i = 0; i < 50; i++) assert.equal(await resolve(`forged-${i}`), undefined);
    assert.equal(jwks.calls.length, 2, "forged kids do not hammer the backend");
    now = 31_000;
    await resolve("forged-again");
    assert.equal(jwks.calls.length, 3);
  });

  it("survives a backend that is down", async () => {
    const resolve = jwksKeyResolver({
      url: "http://backend/jwks",
      refetchIntervalMs: 10_000,
      log,
      fetch: (async () => new Response("nope", { status: 503 })) as typeof globalThis.fetch,
    });
    assert.equal(await resolve("k1"), undefined);
  });
});

describe("createIdentityAuth", () => {
  const key = pair();
  const signing = { kid: "k1", privateKey: key.privateKey };
  const opts = { issuer: "arena-backend", audience: "arena" };

  async function setup() {
    const sessions = new MemorySessionStore();
    const auth = createIdentityAuth({ keys: pemKeyResolver(key.publicKey.export({ type: "spki", format: "pem" }) as string), sessions, ...opts });
    const sid = randomUUID();
    await sessions.put(sid, { userId: "7", expiresAt: Date.now() + 60_000 });
    const token = signIdentityToken({ sub: "7", nick: "neo", sid, role: "player" }, signing, { ...opts, ttlSeconds: 60 });
    return { sessions, auth, sid, token };
  }

  it("accepts a valid token with a live session", async () => {
    const { auth, token } = await setup();
    assert.equal((await auth(token)).sub, "7");
  });

  it("shuts the door as soon as the session is deleted (logout)", async () => {
    const { auth, token, sessions, sid } = await setup();
    await auth(token);
    await sessions.delete(sid);
    await assert.rejects(auth(token), (err: AppError) => err.code === "SESSION_EXPIRED");
  });

  it("refuses a token whose session belongs to someone else", async () => {
    const { auth, sessions, sid, token } = await setup();
    await sessions.put(sid, { userId: "8", expiresAt: Date.now() + 60_000 });
    await assert.rejects(auth(token), (err: AppError) => err.code === "SESSION_EXPIRED");
  });

  it("refuses a token signed by another key, or for another audience", async () => {
    const { auth, sid } = await setup();
    const other = signIdentityToken({ sub: "7", nick: "neo", sid, role: "player" }, { kid: "k1", privateKey: pair().privateKey }, { ...opts, ttlSeconds: 60 });
    await assert.rejects(auth(other), (err: AppError) => err.code === "UNAUTHORIZED");
    const wrongAud = signIdentityToken({ sub: "7", nick: "neo", sid, role: "player" }, signing, { issuer: "arena-backend", audience: "x", ttlSeconds: 60 });
    await assert.rejects(auth(wrongAud), (err: AppError) => err.code === "UNAUTHORIZED");
  });
});
