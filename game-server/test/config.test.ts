import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { loadConfig } from "../src/config.ts";

describe("game-server config", () => {
  it("has embedded defaults", () => {
    const config = loadConfig({});
    assert.equal(config.PORT, 2567);
    assert.equal(config.HOST, "127.0.0.1");
    assert.equal(config.REDIS_URL, undefined);
    assert.equal(config.JWT_ISSUER, "arena-backend");
    assert.equal(config.JWT_AUDIENCE, "arena");
    assert.ok(config.TICKET_TTL <= 1800);
  });

  it("names the key of a bad value", () => {
    assert.throws(() => loadConfig({ PORT: "http" }), /PORT/);
    assert.throws(() => loadConfig({ TICKET_TTL: "3600" }), /TICKET_TTL/);
    assert.throws(() => loadConfig({ REDIS_URL: "not a url" }), /REDIS_URL/);
  });

  it("has no default monitor password in any mode, and refuses a weak one", () => {
    for (const NODE_ENV of ["development", "production", "test"]) {
      assert.equal(loadConfig({ NODE_ENV }).ADMIN_PASSWORD, undefined, `${NODE_ENV}: unset means the monitor is off`);
      assert.throws(() => loadConfig({ NODE_ENV, ADMIN_PASSWORD: "admin" }), /ADMIN_PASSWORD/);
    }
    assert.equal(loadConfig({ NODE_ENV: "production", ADMIN_PASSWORD: "s3cret-longer" }).ADMIN_PASSWORD, "s3cret-longer");
  });

  it("accepts a one-line PEM with \\n escapes", () => {
    const pem = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }) as string;
    const config = loadConfig({ IDENTITY_PUBLIC_KEY: pem.trim().replace(/\n/g, "\\n") });
    assert.equal(config.IDENTITY_PUBLIC_KEY, pem.trim());
    assert.throws(() => loadConfig({ IDENTITY_PUBLIC_KEY: "nope" }), /IDENTITY_PUBLIC_KEY/);
  });
});
