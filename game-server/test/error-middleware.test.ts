import assert from "node:assert/strict";
import { AppError } from "@arena/shared";
import type { Request, Response } from "express";
import { pino } from "pino";
import { z } from "zod";
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

  it("answers a ZodError (a body parsed with .parse) as 400 VALIDATION_FAILED, not 500", () => {
    const thrown = (() => {
      try {
        z.object({ username: z.string() }).parse([]);
      } catch (err) {
        return err;
      }
    })();
    const sent = answer(thrown);
    assert.equal(sent.status, 400);
    assert.equal(sent.body.error_code, "VALIDATION_FAILED");
  });

  it("answers a path that does not decode, and other client errors, as 400", () => {
    assert.equal(answer(Object.assign(new URIError("Failed to decode param"), { status: 400 })).body.error_code, "VALIDATION_FAILED");
    assert.equal(answer(Object.assign(new Error("x"), { status: 415, type: "charset.unsupported" })).status, 400);
  });

  it("maps body-parser errors", () => {
    assert.equal(answer(Object.assign(new Error("x"), { type: "entity.too.large" })).status, 413);
    assert.equal(answer(Object.assign(new Error("x"), { type: "entity.parse.failed" })).body.error_code, "VALIDATION_FAILED");
  });
});
