import assert from "node:assert/strict";
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import jwt from "jsonwebtoken";
import { loadBackendConfig } from "../src/config.ts";
import { loadIdentityKeyStore, rotateEmbeddedKeys } from "../src/keys/embedded-key-files.ts";
import { createIdentityKeyStore, publicJwk } from "../src/keys/identity-key-store.ts";
import { newSigningPem, startTestBackend, storageMode, type TestBackend } from "./support/test-backend.ts";

const publicPemOf = (privatePem: string) => createPublicKey(createPrivateKey(privatePem)).export({ type: "spki", format: "pem" }) as string;

describe("identity key store", () => {
  it("names keys by their RFC 7638 thumbprint", () => {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" }) as Record<string, string>;
    const expected = createHash("sha256").update(`{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`).digest("base64url");
    assert.equal(publicJwk(publicKey).kid, expected);
  });

  it("refuses a key that is not P-256, naming the config key", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    assert.throws(() => createIdentityKeyStore(rsa), /IDENTITY_SIGNING_KEY/);
    assert.throws(() => createIdentityKeyStore("not a pem"), /IDENTITY_SIGNING_KEY/);
    assert.throws(() => createIdentityKeyStore(newSigningPem(), ["-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"]), /IDENTITY_VERIFY_KEYS/);
  });

  describe("embedded keys under DATA_DIR/keys", () => {
    let dir: string;
    beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), "arena-keys-"))));
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it("generates a signing key once (0600) and reuses it", async () => {
      const config = loadBackendConfig({ DATA_DIR: dir });
      const first = await loadIdentityKeyStore(config);
      assert.equal(first.source, "generated");
      const file = path.join(dir, "keys", "identity-signing.pem");
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const second = await loadIdentityKeyStore(config);
      assert.equal(second.source, "data-dir");
      assert.equal(second.signing.kid, first.signing.kid);
    });

    it("rotates: a new key signs, the old one still verifies and stays in the JWKS", async () => {
      const config = loadBackendConfig({ DATA_DIR: dir });
      const before = await loadIdentityKeyStore(config);
      const oldToken = jwt.sign({ sub: "1" }, before.signing.privateKey, { algorithm: "ES256", keyid: before.signing.kid });
      await rotateEmbeddedKeys(path.join(dir, "keys"));
      const after = await loadIdentityKeyStore(config);
      assert.notEqual(after.signing.kid, before.signing.kid);
      assert.deepEqual(after.jwks().keys.map((k) => k.kid), [after.signing.kid, before.signing.kid]);
      assert.equal((jwt.verify(oldToken, after.resolve(before.signing.kid)!, { algorithms: ["ES256"] }) as jwt.JwtPayload).sub, "1");
      assert.equal((await readdir(path.join(dir, "keys"))).filter((f) => f.startsWith("identity-verify-")).length, 1);
    });
  });
});

describe(`key rotation through the running backend (${storageMode})`, () => {
  const oldPem = newSigningPem();
  const newPem = newSigningPem();
  const started: TestBackend[] = [];
  after(async () => {
    for (const backend of started.reverse()) await backend.close();
  });

  it("keeps accepting tokens of the old key while the new key signs; JWKS lists both; a dropped key is refused", async () => {
    const first = await startTestBackend({ env: { IDENTITY_SIGNING_KEY: oldPem } });
    started.push(first);
    const oldKid = first.running.backend.keys.signing.kid;
    const login = await first.login("rotated_user");
    assert.equal(jwt.decode(login.body.access_token, { complete: true })!.header.kid, oldKid);

    // Restart on the same database and session store with the rotated configuration.
    const rotated = await startTestBackend({
      env: { IDENTITY_SIGNING_KEY: newPem, IDENTITY_VERIFY_KEYS: publicPemOf(oldPem) },
      db: first.db,
      sessions: first.sessions,
    });
    started.push(rotated);
    const newKid = rotated.running.backend.keys.signing.kid;
    assert.notEqual(newKid, oldKid);
    const jwks = (await rotated.api("GET", "/.well-known/jwks.json")).body;
    assert.deepEqual(jwks.keys.map((k: { kid: string }) => k.kid), [newKid, oldKid]);

    assert.equal((await rotated.api("POST", "/auth/heartbeat", { token: login.body.access_token })).status, 200, "old-key token still verifies");
    const current = await rotated.api("GET", "/current_user", { token: login.body.access_token });
    assert.equal(current.body.logged_in, true);
    assert.equal(jwt.decode(current.body.jwt, { complete: true })!.header.kid, newKid, "fresh tokens are signed by the new key");
    const fresh = await rotated.login("signed_by_new");
    assert.equal(jwt.decode(fresh.body.access_token, { complete: true })!.header.kid, newKid);

    // Once the old key is dropped from the configuration, its tokens are refused.
    const retired = await startTestBackend({ env: { IDENTITY_SIGNING_KEY: newPem }, db: first.db, sessions: first.sessions });
    started.push(retired);
    assert.deepEqual((await retired.api("GET", "/.well-known/jwks.json")).body.keys.map((k: { kid: string }) => k.kid), [newKid]);
    const refused = await retired.api("POST", "/auth/heartbeat", { token: login.body.access_token });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error_code, "UNAUTHORIZED");
    assert.equal((await retired.api("POST", "/auth/heartbeat", { token: current.body.jwt })).status, 200);
  });
});
