import assert from "node:assert/strict";
import { startScoresBackend } from "./scores-support.ts";
import { requestFrom } from "./support/from-address.ts";
import { storageMode, type TestBackend } from "./support/test-backend.ts";

const PASSWORD = "correct horse battery";
const ATTACKER = "127.0.0.2";
const OWNER = "127.0.0.3";

describe(`auth: login throttling per (username, IP), IP and username (${storageMode})`, () => {
  let t: TestBackend;
  let clock = Date.now();
  before(async () => {
    clock = Date.now();
    // With REDIS_URL the failure counts live in Redis under a fresh prefix (deleted on close).
    t = await startScoresBackend(
      { LOGIN_LOCK_THRESHOLD: "3", LOGIN_LOCK_BASE: "30", LOGIN_LOCK_MAX: "600", LOGIN_IP_THRESHOLD: "8", LOGIN_ACCOUNT_THRESHOLD: "6", TRUST_PROXY: "0" },
      () => clock,
    );
  });
  after(() => t.close());

  const login = (from: string, username: string, password: string) => requestFrom(from, `${t.url}/auth/login`, { body: { username, password } });
  const register = (username: string) => t.api("POST", "/auth/register", { body: { username, password: PASSWORD } });

  it("an attacker's failures lock only the attacker's address: the owner logs in from another", async () => {
    await register("owner_one");
    for (let i = 0; i < 2; i++) assert.equal((await login(ATTACKER, "owner_one", `guess-${i}`)).body.error_code, "INVALID_CREDENTIALS");
    const locked = await login(ATTACKER, "owner_one", "guess-2");
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error_code, "ACCOUNT_LOCKED");
    assert.equal((await login(ATTACKER, "owner_one", PASSWORD)).body.error_code, "ACCOUNT_LOCKED", "the attacker's address waits even with the right password");
    const owner = await login(OWNER, "owner_one", PASSWORD);
    assert.equal(owner.status, 200, "the owner, from another address, is not locked out");
    assert.equal((await login(ATTACKER, "owner_one", PASSWORD)).body.error_code, "ACCOUNT_LOCKED", "the owner's success does not unlock the attacker");
  });

  it("treats an unknown username exactly like a known one: same codes, same lock, same retry_after", async () => {
    await register("real_name");
    const answers = async (username: string, from: string) => {
      const seen = [];
      for (let i = 0; i < 4; i++) {
        const res = await login(from, username, `nope-${i}`);
        seen.push([res.status, res.body.error_code, res.body.retry_after, res.body.message]);
      }
      return seen;
    };
    const known = await answers("real_name", "127.0.0.5");
    const unknown = await answers("ghost_name", "127.0.0.6");
    assert.deepEqual(unknown, known);
    assert.deepEqual(known.map(([, code]) => code), ["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "ACCOUNT_LOCKED", "ACCOUNT_LOCKED"]);
  });

  it("locks an address that sprays many usernames (LOGIN_IP_THRESHOLD), whatever the names", async () => {
    clock += 24 * 3600_000; // a fresh day: earlier failures are forgotten
    const sprayer = "127.0.0.4";
    const codes = [];
    for (let i = 0; i < 9; i++) codes.push((await login(sprayer, `spray_${i}`, "password1")).body.error_code);
    assert.deepEqual(codes.slice(0, 7), Array(7).fill("INVALID_CREDENTIALS"));
    assert.equal(codes[7], "RATE_LIMIT_EXCEEDED", "the eighth failure locks the address");
    assert.equal(codes[8], "RATE_LIMIT_EXCEEDED");
    await register("bystander");
    assert.equal((await login(OWNER, "bystander", PASSWORD)).status, 200, "other addresses are not affected");
  });

  it("has a much higher per-username ceiling over every address (LOGIN_ACCOUNT_THRESHOLD)", async () => {
    clock += 24 * 3600_000;
    await register("popular");
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await login(`127.0.1.${i + 1}`, "popular", "wrong-pass")).body.error_code);
    assert.deepEqual(codes.slice(0, 5), Array(5).fill("INVALID_CREDENTIALS"), "one failure per address never reaches the pair threshold");
    assert.equal(codes[5], "ACCOUNT_LOCKED", "the sixth failure over all addresses reaches the ceiling");
    assert.equal((await login(OWNER, "popular", PASSWORD)).body.error_code, "ACCOUNT_LOCKED", "past the ceiling even the owner waits");
    clock += 31_000;
    assert.equal((await login(OWNER, "popular", PASSWORD)).status, 200, "once the lock has passed");
  });
});
