import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import jwt from "jsonwebtoken";
import { SERVICE_TOKEN, signServiceToken, verifyServiceToken } from "./service-token.ts";

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const other = generateKeyPairSync("ec", { namedCurve: "P-256" });
const NOW = 1_900_000_000;
const LIMITS = { clockSkewSeconds: 30, maxLifetimeSeconds: 3600 };
const claims = { sub: "game-server", typ: "service", iss: "arena-game-server", aud: "arena-backend", iat: NOW, exp: NOW + 60 };
const sign = (extra: object = {}, key = privateKey, header: jwt.SignOptions = {}) =>
  jwt.sign({ ...claims, ...extra }, key, { algorithm: "ES256", keyid: "game-server", ...header });

describe("service tokens", () => {
  it("round-trips on an injected clock, with the fixed claims", () => {
    const { token } = signServiceToken(privateKey, { now: NOW });
    const verified = verifyServiceToken(token, publicKey, { now: NOW + SERVICE_TOKEN.maxTtlSeconds - 1, ...LIMITS });
    assert.deepEqual(verified, { ...claims, exp: NOW + SERVICE_TOKEN.maxTtlSeconds });
    assert.equal(jwt.decode(token, { complete: true })?.header.kid, "game-server");
  });
  it("honours a deployment maximum below the service token's own", () => {
    const { token } = signServiceToken(privateKey, { now: NOW });
    assert.throws(() => verifyServiceToken(token, publicKey, { now: NOW, clockSkewSeconds: 30, maxLifetimeSeconds: 120 }), /lifetime too long/);
  });
  it("is refused once expired on the verifier's clock", () => {
    const { token } = signServiceToken(privateKey, { now: NOW });
    assert.throws(() => verifyServiceToken(token, publicKey, { now: NOW + SERVICE_TOKEN.maxTtlSeconds + 1, ...LIMITS }), /Invalid service credential/);
  });
  const refused: Array<[string, () => string, RegExp]> = [
    ["a wrong key", () => sign({}, other.privateKey), /Invalid/],
    ["another kid", () => sign({}, privateKey, { keyid: "other" }), /Not a service/],
    ["a wrong iss", () => sign({ iss: "someone" }), /Invalid/],
    ["a wrong aud", () => sign({ aud: "arena" }), /Invalid/],
    ["typ identity", () => sign({ typ: "identity" }), /Not a service/],
    ["another sub", () => sign({ sub: "1" }), /Not a service/],
    ["a lifetime over the maximum", () => sign({ exp: NOW + SERVICE_TOKEN.maxTtlSeconds + 1 }), /lifetime too long/],
    ["an iat further in the future than the clock skew", () => sign({ iat: NOW + 31, exp: NOW + 91 }), /issued in the future/],
    ["HS256 with the public key as secret", () => jwt.sign(claims, publicKey.export({ type: "spki", format: "pem" }) as string, { algorithm: "HS256", keyid: "game-server" }), /Not a service/],
    ["garbage", () => "not.a.jwt", /Not a service/],
  ];
  for (const [name, make, message] of refused) {
    it(`refuses ${name}`, () => {
      assert.throws(() => verifyServiceToken(make(), publicKey, { now: NOW, ...LIMITS }), (err: { code?: string; message: string }) => err.code === "UNAUTHORIZED" && message.test(err.message));
    });
  }
});
