import assert from "node:assert/strict";
import { createSecretKey, randomBytes } from "node:crypto";
import jwt from "jsonwebtoken";
import { decodeJwt, hasValidHs256Signature, signHs256 } from "./ticket-jwt.ts";

describe("ticket JWTs (HS256 without a JWT library)", () => {
  const key = createSecretKey(randomBytes(32));
  const claims = { sub: "7", roomId: "r1", typ: "ticket", iat: 1_700_000_000, exp: 1_700_000_600 };

  it("signs the bytes jsonwebtoken signs, and jsonwebtoken verifies them", () => {
    const token = signHs256(claims, key);
    assert.equal(token, jwt.sign(claims, key, { algorithm: "HS256" }));
    assert.deepEqual(jwt.verify(token, key, { algorithms: ["HS256"], clockTimestamp: claims.iat }), claims);
  });

  it("decodes and accepts a ticket jsonwebtoken signed with the key", () => {
    const decoded = decodeJwt(jwt.sign(claims, key, { algorithm: "HS256" }))!;
    assert.deepEqual(decoded.payload, claims);
    assert.equal(hasValidHs256Signature(decoded, key), true);
  });

  it("refuses another key, a changed payload, a changed signature, alg none and other algs", () => {
    const token = signHs256(claims, key);
    assert.equal(hasValidHs256Signature(decodeJwt(token)!, createSecretKey(randomBytes(32))), false);
    const [header, , signature] = token.split(".");
    const changed = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: "1" })).toString("base64url")}.${signature}`;
    assert.equal(hasValidHs256Signature(decodeJwt(changed)!, key), false);
    assert.equal(hasValidHs256Signature(decodeJwt(`${token.slice(0, -2)}${token.endsWith("AA") ? "AB" : "AA"}`)!, key), false);
    assert.equal(hasValidHs256Signature(decodeJwt(`${token.split(".").slice(0, 2).join(".")}.`)!, key), false);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${token.split(".")[1]}.`;
    assert.equal(hasValidHs256Signature(decodeJwt(none)!, key), false);
    const hs512 = jwt.sign(claims, key, { algorithm: "HS512" });
    assert.equal(hasValidHs256Signature(decodeJwt(hs512)!, key), false);
  });

  it("decodes nothing that is not a compact JWS of two JSON objects", () => {
    for (const bad of ["", "a.b", "a.b.c.d", "not-a-jwt", "e30.e30.$$", `e30.${Buffer.from("[1]").toString("base64url")}.x`, `e30.${Buffer.from("null").toString("base64url")}.x`, "e30.bm90IGpzb24.x"]) {
      assert.equal(decodeJwt(bad), null, bad);
    }
    assert.equal(decodeJwt(undefined as unknown as string), null);
  });
});
