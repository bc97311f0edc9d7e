import assert from "node:assert/strict";
import { AppError } from "@arena/shared";
import type { Request, Response } from "express";
import { pino } from "pino";
import { errorMiddleware } from "../src/http/error-middleware.ts";

function answer(err: unknown) {
  const sent: { status?: number; body?: any; headers: Record<string, string> } = { headers: {} };
  const res = {
    setHeader: (name: string, value: string) => void (sent.headers[name] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    json: (body: unknown) => void (sent.body = body),
  } as unknown as Response;
  errorMiddleware(pino({ level: "silent" }))(err, {} as Request, res, () => {});
  return sent;
}

describe("error middleware", () => {
  it("answers an AppError with its status, body and Retry-After", () => {
    const sent = answer(new AppError("RATE_LIMIT_EXCEEDED", undefined, 7));
    assert.equal(sent.status, 429);
    assert.deepEqual(sent.body, { success: false, error_code: "RATE_LIMIT_EXCEEDED", message: "Too many requests; slow down.", retry_after: 7 });
    assert.equal(sent.headers["Retry-After"], "7");
  });

  it("says 503 when Redis is gone, 500 with nothing internal otherwise", () => {
    const redisDown = Object.assign(new Error("Reached the max retries per request limit"), { name: "MaxRetriesPerRequestError" });
    assert.equal(answer(redisDown).status, 503);
    assert.equal(answer(new Error("Connection is closed.")).body.error_code, "SERVICE_UNAVAILABLE");
    const bug = answer(new TypeError("secret internals at /srv/app.ts:42"));
    assert.equal(bug.status, 500);
    assert.equal(bug.body.error_code, "INTERNAL");
    assert.ok(!JSON.stringify(bug.body).includes("secret"));
  });

  it("maps body-parser errors", () => {
    assert.equal(answer(Object.assign(new Error("x"), { type: "entity.too.large" })).status, 413);
    assert.equal(answer(Object.assign(new Error("x"), { type: "entity.parse.failed" })).body.error_code, "VALIDATION_FAILED");
  });
});
