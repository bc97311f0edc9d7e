import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import jwt from "jsonwebtoken";
import { signIdentityToken, verifyIdentityToken } from "./identity-token.ts";

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const other = generateKeyPairSync("ec", { namedCurve: "P-256" });
const opts = { issuer: "arena-backend", audience: "arena" };
const resolve = (kid: string) => (kid === "k1" ? publicKey : undefined);
const subject = { sub: "1", nick: "alice", sid: "s".repeat(22), role: "player" as const };
const now = () => Math.floor(Date.now() / 1000);
const sign = (extra: object = {}, key = privateKey, header: jwt.SignOptions = {}) =>
  jwt.sign({ ...subject, typ: "identity", iss: opts.issuer, aud: opts.audience, iat: now(), exp: now() + 60, ...extra }, key, { algorithm: "ES256", keyid: "k1", ...header });

describe("identity tokens", () => {
  it("round-trips", async () => {
    const token = signIdentityToken(subject, { kid: "k1", privateKey }, { ...opts, ttlSeconds: 60 });
    const claims = await verifyIdentityToken(token, resolve, opts);
    assert.equal(claims.sub, "1");
    assert.equal(claims.typ, "identity");
    assert.equal(claims.skin, undefined);
  });
  it("carries the equipped skin claim when given one", async () => {
    const token = signIdentityToken({ ...subject, skin: "gold-star" }, { kid: "k1", privateKey }, { ...opts, ttlSeconds: 60 });
    assert.equal((await verifyIdentityToken(token, resolve, opts)).skin, "gold-star");
  });
  const refused: Array<[string, () => string]> = [
    ["alg none", () => jwt.sign({ ...subject, typ: "identity", iss: opts.issuer, aud: opts.audience }, "", { algorithm: "none", keyid: "k1" } as jwt.SignOptions)],
    ["a wrong key", () => sign({}, other.privateKey)],
    ["an unknown kid", () => sign({}, privateKey, { keyid: "k2" })],
    ["expired", () => sign({ exp: now() - 10 })],
    ["a wrong aud", () => sign({ aud: "other" })],
    ["a wrong iss", () => sign({ iss: "evil" })],
    ["typ ticket", () => sign({ typ: "ticket" })],
    ["an iat in the future beyond the skew", () => sign({ iat: now() + 120, exp: now() + 180 })],
    ["a lifetime beyond the maximum", () => sign({ iat: now() - 10, exp: now() + 7200 })],
    ["a malformed skin claim", () => sign({ skin: "<img src=x>" })],
    ["HS256 with the public key as secret", () => jwt.sign({ ...subject, typ: "identity", iss: opts.issuer, aud: opts.audience }, publicKey.export({ type: "spki", format: "pem" }) as string, { algorithm: "HS256", keyid: "k1" })],
    ["garbage", () => "not.a.jwt"],
  ];
  it("tolerates a little clock skew on iat", async () => {
    assert.equal((await verifyIdentityToken(sign({ iat: now() + 10, exp: now() + 70 }), resolve, opts)).sub, "1");
  });
  for (const [name, make] of refused) {
    it(`refuses ${name}`, async () => {
      await assert.rejects(verifyIdentityToken(make(), resolve, opts), (err: { code?: string }) => err.code === "UNAUTHORIZED");
    });
  }
});
