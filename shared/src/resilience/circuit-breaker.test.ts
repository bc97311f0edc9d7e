import assert from "node:assert/strict";
import { CircuitBreaker, DependencyUnavailableError } from "./circuit-breaker.ts";

describe("CircuitBreaker", () => {
  let at = 0;
  const make = () => new CircuitBreaker({ name: "redis", failureThreshold: 2, openMs: 1000, now: () => at });
  beforeEach(() => (at = 1_000_000));

  it("stays closed below the threshold and resets on success", () => {
    const b = make();
    b.failure();
    b.success();
    b.failure();
    assert.equal(b.state, "closed");
    assert.doesNotThrow(() => b.check());
  });

  it("opens at the threshold and refuses with the dependency and a retry delay", () => {
    const b = make();
    b.failure();
    b.failure();
    assert.equal(b.state, "open");
    at += 200;
    assert.throws(() => b.check(), (err: unknown) => err instanceof DependencyUnavailableError && err.dependency === "redis" && err.retryAfter === 1);
  });

  it("turns half-open after openMs; a trial success closes it", () => {
    const b = make();
    b.failure();
    b.failure();
    at += 1000;
    assert.equal(b.state, "half-open");
    assert.doesNotThrow(() => b.check());
    b.success();
    assert.equal(b.state, "closed");
  });

  it("a failed trial opens it again for a full period", () => {
    const b = make();
    b.failure();
    b.failure();
    at += 1500;
    b.failure();
    assert.equal(b.state, "open");
    at += 999;
    assert.equal(b.state, "open");
    at += 1;
    assert.equal(b.state, "half-open");
  });

  it("run() counts only outages against the dependency", async () => {
    const b = make();
    const refused = Object.assign(new Error("bad request"), { outage: false });
    const down = Object.assign(new Error("down"), { outage: true });
    const isOutage = (err: unknown) => (err as { outage?: boolean }).outage === true;
    for (let i = 0; i < 3; i++) await assert.rejects(b.run(() => Promise.reject(refused), isOutage));
    assert.equal(b.state, "closed");
    for (let i = 0; i < 2; i++) await assert.rejects(b.run(() => Promise.reject(down), isOutage));
    await assert.rejects(b.run(() => Promise.resolve(1), isOutage), DependencyUnavailableError);
  });
});
