import assert from "node:assert/strict";
import { addFailure, keepForMs, lockedFor, lockMs, refund, type AttemptRecord, type ThrottlePolicy } from "./login-throttle.ts";

const policy: ThrottlePolicy = { threshold: 3, baseMs: 30_000, maxMs: 100_000, windowMs: 3_600_000 };
const T0 = 1_700_000_000_000;

function failTimes(n: number, at = T0): AttemptRecord | null {
  let record: AttemptRecord | null = null;
  for (let i = 0; i < n; i++) record = addFailure(record, policy, at);
  return record;
}

describe("login throttle rule", () => {
  it("stays open below the threshold", () => {
    const record = failTimes(2);
    assert.equal(record?.failures, 2);
    assert.equal(lockedFor(record, T0), 0);
  });

  it("locks at the threshold for the base time, then doubles, capped at the maximum", () => {
    assert.equal(lockedFor(failTimes(3), T0), 30_000);
    assert.equal(lockedFor(failTimes(4), T0), 60_000);
    assert.equal(lockedFor(failTimes(5), T0), 100_000);
    assert.equal(lockMs(1_000, policy), 100_000, "no overflow for huge counts");
  });

  it("opens when the lock has passed, and the next failure locks longer", () => {
    const locked = failTimes(3)!;
    assert.equal(lockedFor(locked, T0 + 30_000), 0);
    assert.equal(lockedFor(addFailure(locked, policy, T0 + 30_000), T0 + 30_000), 60_000);
  });

  it("forgets failures after a quiet window", () => {
    const old = failTimes(2)!;
    assert.equal(addFailure(old, policy, T0 + policy.windowMs).failures, 1);
    assert.equal(addFailure(old, policy, T0 + policy.windowMs - 1).failures, 3);
  });

  it("a refund gives back one attempt and lifts the lock it set", () => {
    const locked = failTimes(3)!;
    const back = refund(locked)!;
    assert.equal(back.failures, 2);
    assert.equal(lockedFor(back, T0), 0);
    assert.equal(refund(failTimes(1)), null);
    assert.equal(refund(null), null);
  });

  it("is kept as long as its lock or its window lasts", () => {
    assert.equal(keepForMs(failTimes(1)!, policy, T0), policy.windowMs);
    const long = { failures: 9, lastAt: T0, lockedUntil: T0 + 2 * policy.windowMs };
    assert.equal(keepForMs(long, policy, T0), 2 * policy.windowMs);
    assert.equal(keepForMs(failTimes(1)!, policy, T0 + 2 * policy.windowMs), 1);
  });
});
