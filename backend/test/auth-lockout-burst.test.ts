import assert from "node:assert/strict";
import { startTestBackend, storageMode, type TestBackend } from "./support/test-backend.ts";

const PASSWORD = "correct horse battery";

describe(`auth: a parallel burst of logins cannot get around the lockout (${storageMode})`, () => {
  let t: TestBackend;
  let clock = Date.now();
  before(async () => {
    clock = Date.now();
    t = await startTestBackend({ now: () => clock, env: { LOGIN_LOCK_THRESHOLD: "5", LOGIN_LOCK_BASE: "30", LOGIN_LOCK_MAX: "3600" } });
  });
  after(() => t.close());

  const attempt = (username: string, password: string) => t.api("POST", "/auth/login", { body: { username, password } });

  it("checks at most LOGIN_LOCK_THRESHOLD guesses of 20 parallel wrong passwords; the rest are ACCOUNT_LOCKED", async () => {
    await t.api("POST", "/auth/register", { body: { username: "burst_target", password: PASSWORD } });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt("burst_target", `wrong-guess-${i}`)));
    const codes = answers.map((res) => res.body.error_code);
    const invalid = codes.filter((c) => c === "INVALID_CREDENTIALS").length;
    const locked = answers.filter((res) => res.body.error_code === "ACCOUNT_LOCKED");
    assert.equal(invalid + locked.length, 20, `only those two answers: ${codes.join(",")}`);
    assert.ok(invalid <= 5, `at most LOGIN_LOCK_THRESHOLD guesses answered INVALID_CREDENTIALS (${invalid})`);
    for (const res of locked) {
      assert.equal(res.status, 429);
      assert.ok(res.body.retry_after >= 1 && res.body.retry_after <= 30, `one first-lock period, not a doubled one (${res.body.retry_after})`);
    }

    assert.equal((await attempt("burst_target", PASSWORD)).body.error_code, "ACCOUNT_LOCKED", "locked: even the right password waits");
    clock += 31_000;
    assert.equal((await attempt("burst_target", PASSWORD)).status, 200, "the lock lasted LOGIN_LOCK_BASE, as for five guesses in a row");
  });

  it("after a lock expires, a second burst gets exactly one more guess", async () => {
    await t.api("POST", "/auth/register", { body: { username: "burst_twice", password: PASSWORD } });
    await Promise.all(Array.from({ length: 10 }, (_, i) => attempt("burst_twice", `first-wave-${i}`)));
    clock += 31_000;
    const second = await Promise.all(Array.from({ length: 10 }, (_, i) => attempt("burst_twice", `second-wave-${i}`)));
    assert.ok(second.every((res) => res.body.error_code === "ACCOUNT_LOCKED"), "the one checked guess is the one that re-locks");
    assert.ok(second.some((res) => res.body.retry_after === 60), "the next lock doubles");
  });

  it("a parallel burst that includes the right password still logs in and resets the count", async () => {
    await t.api("POST", "/auth/register", { body: { username: "burst_owner", password: PASSWORD } });
    const [owner] = await Promise.all([attempt("burst_owner", PASSWORD), attempt("burst_owner", "wrong-one"), attempt("burst_owner", "wrong-two")]);
    assert.equal(owner.status, 200);
    assert.equal((await attempt("burst_owner", PASSWORD)).status, 200);
    for (let i = 0; i < 4; i++) {
      assert.equal((await attempt("burst_owner", `later-wrong-${i}`)).body.error_code, "INVALID_CREDENTIALS", "the success reset the count");
    }
  });
});
