import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { dependencyOutage } from "../contracts/app-error-mapping.ts";
import { CircuitBreaker, DependencyUnavailableError } from "./circuit-breaker.ts";
import { checkDependencies } from "./readiness.ts";
import { createRedisClient } from "./redis-client.ts";

/** A TCP server that accepts connections and never answers: a frozen Redis. */
async function silentServer(): Promise<{ server: Server; port: number }> {
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as { port: number }).port };
}

describe("guarded Redis client", () => {
  it("fails a command to a Redis that never answers within its timeout, then the breaker refuses at once", async () => {
    const { server, port } = await silentServer();
    const breaker = new CircuitBreaker({ name: "redis", failureThreshold: 2, openMs: 60_000 });
    const redis = createRedisClient(`redis://127.0.0.1:${port}`, { commandTimeoutMs: 100, breaker });
    try {
      for (let i = 0; i < 2; i++) {
        const err = await redis.get("k").then(() => null, (e: unknown) => e);
        assert.ok(err && dependencyOutage(err), `an outage error, got ${String(err)}`);
      }
      assert.equal(breaker.state, "open");
      await assert.rejects(redis.get("k"), DependencyUnavailableError);
    } finally {
      redis.disconnect();
      server.close();
    }
  });
});

describe("checkDependencies", () => {
  it("reports each dependency, a hanging one as down, and ready only when all are up", async () => {
    const breaker = new CircuitBreaker({ name: "redis" });
    const report = await checkDependencies(
      [
        { name: "db", ping: async () => true },
        { name: "redis", ping: () => new Promise(() => {}), breaker },
        { name: "other", ping: async () => false },
      ],
      50,
    );
    assert.equal(report.ready, false);
    assert.deepEqual(report.dependencies, {
      db: { status: "up", breaker: "closed" },
      redis: { status: "down", breaker: "closed" },
      other: { status: "down", breaker: "closed" },
    });
    assert.equal((await checkDependencies([{ name: "db", ping: async () => 1 }], 50)).ready, true);
  });
});
