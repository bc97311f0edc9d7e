import assert from "node:assert/strict";
import { z } from "zod";
import { AppError } from "../errors.ts";
import { DependencyUnavailableError } from "../resilience/circuit-breaker.ts";
import { dependencyOutage, toAppError } from "./app-error-mapping.ts";

const withProps = (message: string, props: Record<string, unknown>) => Object.assign(new Error(message), props);

describe("toAppError", () => {
  it("keeps an AppError as it is", () => {
    const err = new AppError("ROOM_FULL");
    assert.equal(toAppError(err), err);
  });

  it("maps zod, body-parser and URI errors to client errors", () => {
    const zod = z.object({ a: z.string() }).safeParse({}).error;
    assert.equal(toAppError(zod).code, "VALIDATION_FAILED");
    assert.equal(toAppError(withProps("x", { type: "entity.parse.failed", status: 400 })).code, "VALIDATION_FAILED");
    assert.equal(toAppError(withProps("x", { type: "entity.too.large", status: 413 })).code, "PAYLOAD_TOO_LARGE");
    assert.equal(toAppError(withProps("x", { type: "charset.unsupported", status: 415 })).code, "VALIDATION_FAILED");
    assert.equal(toAppError(new URIError("bad")).code, "VALIDATION_FAILED");
    assert.equal(toAppError(withProps("x", { status: 404 })).code, "NOT_FOUND");
  });

  const outages: Array<[string, unknown]> = [
    ["PostgreSQL starting up (57P03)", withProps("the database system is starting up", { code: "57P03" })],
    ["PostgreSQL shutting down (57P01)", withProps("terminating connection due to administrator command", { code: "57P01" })],
    ["a connection exception class 08", withProps("connection failure", { code: "08006" })],
    ["connection refused", withProps("connect ECONNREFUSED 127.0.0.1:5432", { code: "ECONNREFUSED" })],
    ["pg: connection terminated", new Error("Connection terminated unexpectedly")],
    ["pg: connect timeout", new Error("timeout exceeded when trying to connect")],
    ["Prisma wrapping a driver adapter error", withProps("Raw query failed", { code: "P2010", meta: { driverAdapterError: withProps("x", { cause: { kind: "postgres", originalCode: "57P03" } }) } })],
    ["Prisma: database not reachable", withProps("x", { meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } } })],
    ["ioredis: retries exhausted", withProps("Reached the max retries per request limit", { name: "MaxRetriesPerRequestError" })],
    ["ioredis: connection closed", new Error("Connection is closed.")],
    ["ioredis: command timeout", new Error("Command timed out")],
    ["ioredis: offline queue off", new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ["Redis loading its data after a restart", withProps("LOADING Redis is loading the dataset in memory", { name: "ReplyError" })],
    ["an error caused by an outage", new Error("wrapped", { cause: withProps("x", { code: "ECONNRESET" }) })],
  ];
  for (const [what, err] of outages) {
    it(`answers 503 SERVICE_UNAVAILABLE with retry_after for ${what}`, () => {
      const mapped = toAppError(err);
      assert.equal(mapped.code, "SERVICE_UNAVAILABLE");
      assert.equal(mapped.status, 503);
      assert.ok(mapped.toBody().retry_after! >= 1);
    });
  }

  it("carries an open breaker's retry delay", () => {
    assert.equal(toAppError(new DependencyUnavailableError("redis", 3)).retryAfter, 3);
  });

  it("keeps a bug a bug: unknown errors, constraint violations and Redis reply errors are INTERNAL", () => {
    assert.equal(toAppError(new TypeError("x is undefined")).code, "INTERNAL");
    assert.equal(toAppError(withProps("duplicate key", { code: "23505" })).code, "INTERNAL");
    assert.equal(toAppError(withProps("WRONGTYPE Operation", { name: "ReplyError" })).code, "INTERNAL");
    assert.equal(toAppError(undefined).code, "INTERNAL");
    assert.equal(dependencyOutage({ code: "P2002" }), null);
  });
});
