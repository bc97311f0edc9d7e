import assert from "node:assert/strict";
import { generateKeyPairSync, createPublicKey } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import jwt from "jsonwebtoken";
import { signIdentityToken } from "@arena/shared/tokens/identity-token";
import { createAuthMiddlewares } from "../src/http/auth-middleware.ts";
import { errorMiddleware } from "../src/http/error-middleware.ts";
import { createLogger } from "../src/logger.ts";
import { startTestBackend, storageMode, type TestBackend } from "./support/test-backend.ts";

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe(`requireIdentity / optionalIdentity / requireAdmin (${storageMode})`, () => {
  let t: TestBackend;
  let server: http.Server;
  let base: string;
  let good: { access_token: string; user: { id: string } };
  let claims: Record<string, unknown>;

  before(async () => {
    t = await startTestBackend({ env: { ADMIN_USERNAMES: "chief" } });
    const auth = createAuthMiddlewares({ config: t.config, keys: t.running.backend.keys, sessions: t.sessions, now: Date.now });
    const app = express();
    app.get("/me", auth.requireIdentity, (_req, res) => void res.json(res.locals.identity));
    app.get("/maybe", auth.optionalIdentity, (_req, res) => void res.json({ identity: res.locals.identity ?? null }));
    app.get("/admin", auth.requireAdmin, (_req, res) => void res.json({ ok: true }));
    app.use(errorMiddleware(createLogger({ LOG_LEVEL: "silent" })));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    good = (await t.login("holder")).body;
    claims = jwt.decode(good.access_token) as Record<string, unknown>;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  const get = async (path: string, authorization?: string) => {
    const res = await fetch(base + path, { headers: authorization ? { authorization } : {} });
    return { status: res.status, body: (await res.json()) as any };
  };
  const kid = () => t.running.backend.keys.signing.kid;
  const signWithBackendKey = (payload: object, options: jwt.SignOptions = {}) =>
    jwt.sign(payload, t.running.backend.keys.signing.privateKey, { algorithm: "ES256", keyid: kid(), ...options });

  it("accepts a live identity token and exposes its claims", async () => {
    const res = await get("/me", `Bearer ${good.access_token}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.sub, good.user.id);
    assert.equal(res.body.nick, "holder");
    assert.equal(res.body.typ, "identity");
  });

  const forged: Array<[string, () => string, string]> = [
    ["alg none", () => `${b64({ alg: "none", typ: "JWT", kid: kid() })}.${b64(claims)}.`, "UNAUTHORIZED"],
    [
      "a wrong key under the right kid",
      () => jwt.sign(claims, generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey, { algorithm: "ES256", keyid: kid() }),
      "UNAUTHORIZED",
    ],
    [
      "an unknown kid",
      () => jwt.sign(claims, generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey, { algorithm: "ES256", keyid: "someone-else" }),
      "UNAUTHORIZED",
    ],
    ["no kid", () => jwt.sign(claims, t.running.backend.keys.signing.privateKey, { algorithm: "ES256" }), "UNAUTHORIZED"],
    [
      "HS256 keyed with the public key (algorithm confusion)",
      () => {
        const publicPem = createPublicKey(t.running.backend.keys.signing.privateKey).export({ type: "spki", format: "pem" }) as string;
        return `${b64({ alg: "HS256", typ: "JWT", kid: kid() })}.${b64(claims)}.${Buffer.from(publicPem).toString("base64url").slice(0, 43)}`;
      },
      "UNAUTHORIZED",
    ],
    [
      "an expired token",
      () =>
        signIdentityToken({ sub: claims.sub as string, nick: "holder", sid: claims.sid as string, role: "player" }, t.running.backend.keys.signing, {
          issuer: t.config.JWT_ISSUER,
          audience: t.config.JWT_AUDIENCE,
          ttlSeconds: 60,
          now: Math.floor(Date.now() / 1000) - 3600,
        }),
      "UNAUTHORIZED",
    ],
    ["a wrong audience", () => signWithBackendKey({ ...claims, aud: "someone-else" }), "UNAUTHORIZED"],
    ["a wrong issuer", () => signWithBackendKey({ ...claims, iss: "evil-backend" }), "UNAUTHORIZED"],
    ["typ ticket", () => signWithBackendKey({ ...claims, typ: "ticket" }), "UNAUTHORIZED"],
    ["typ service", () => signWithBackendKey({ ...claims, typ: "service" }), "UNAUTHORIZED"],
    ["no typ", () => signWithBackendKey({ ...claims, typ: undefined }), "UNAUTHORIZED"],
    ["a tampered payload", () => good.access_token.replace(/\.[^.]+\./, `.${b64({ ...claims, role: "admin" })}.`), "UNAUTHORIZED"],
    ["garbage", () => "abc.def.ghi", "UNAUTHORIZED"],
    ["a session id that does not exist", () => signWithBackendKey({ ...claims, sid: "x".repeat(43) }), "SESSION_EXPIRED"],
    ["another user's id on a live session", () => signWithBackendKey({ ...claims, sub: "999999" }), "SESSION_EXPIRED"],
  ];
  for (const [name, make, code] of forged) {
    it(`refuses ${name} with ${code}`, async () => {
      const res = await get("/me", `Bearer ${make()}`);
      assert.equal(res.status, 401);
      assert.equal(res.body.error_code, code);
      assert.equal(res.body.success, false);
    });
  }

  for (const header of [undefined, "Basic dXNlcjpwYXNz", "Bearer", `bearer  ${"x".repeat(5000)}`]) {
    it(`refuses Authorization ${header === undefined ? "absent" : JSON.stringify(header.slice(0, 20))}`, async () => {
      const res = await get("/me", header);
      assert.equal(res.status, 401);
      assert.equal(res.body.error_code, "UNAUTHORIZED");
    });
  }

  it("optionalIdentity passes without a header and refuses a bad one", async () => {
    assert.deepEqual((await get("/maybe")).body, { identity: null });
    assert.equal((await get("/maybe", `Bearer ${good.access_token}`)).body.identity.sub, good.user.id);
    assert.equal((await get("/maybe", "Bearer abc.def.ghi")).status, 401);
  });

  it("requireAdmin refuses players with FORBIDDEN and admits admins", async () => {
    const player = await get("/admin", `Bearer ${good.access_token}`);
    assert.equal(player.status, 403);
    assert.equal(player.body.error_code, "FORBIDDEN");
    const chief = (await t.login("chief")).body;
    assert.equal((await get("/admin", `Bearer ${chief.access_token}`)).status, 200);
    assert.equal((await get("/admin")).status, 401);
  });
});
