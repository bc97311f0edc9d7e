import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import express from "express";
import pino from "pino";
import { AppError } from "@arena/shared";
import { errorMiddleware } from "../src/http/error-middleware.ts";
import { requestLogger } from "../src/http/request-middleware.ts";

describe("requestLogger", () => {
  const lines: Record<string, any>[] = [];
  let server: http.Server;
  let base: string;
  let release: () => void = () => {};
  let arrived: Promise<void>;
  let arrive: () => void = () => {};

  before(async () => {
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const log = pino({ level: "info" }, sink);
    const app = express();
    app.use(requestLogger(log, { slowMs: 50 }));
    app.get("/ok", (_req, res) => void res.json({ ok: true }));
    app.get("/refused", () => {
      throw new AppError("FORBIDDEN");
    });
    app.get("/broken", () => {
      throw new Error("boom");
    });
    // Answers only once the test calls release(): slow by construction, not by a timer race.
    app.get("/slow", (_req, res) => {
      void new Promise<void>((resolve) => (release = resolve)).then(() => res.json({ ok: true }));
      arrive();
    });
    app.use(errorMiddleware(log));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => void lines.splice(0));

  const completed = (id: string) => lines.filter((l) => l.msg === "request completed" && l.req?.id === id);
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it("writes no line for a quick success at info, and still sets X-Request-Id", async () => {
    const res = await fetch(base + "/ok", { headers: { "x-request-id": "quick-1" } });
    assert.equal(res.headers.get("x-request-id"), "quick-1");
    await settle();
    assert.deepEqual(completed("quick-1"), []);
  });

  it("logs a refusal at info and a failure at error, both with the request id", async () => {
    await fetch(base + "/refused", { headers: { "x-request-id": "refused-1" } });
    await fetch(base + "/broken", { headers: { "x-request-id": "broken-1" } });
    await settle();
    assert.deepEqual(completed("refused-1").map((l) => [l.level, l.res.statusCode, l.req.method, l.req.url]), [[30, 403, "GET", "/refused"]]);
    assert.deepEqual(completed("broken-1").map((l) => [l.level, l.res.statusCode]), [[50, 500]]);
    // The error middleware logs through req.log: its line carries the request id.
    assert.ok(lines.some((l) => l.msg === "request failed" && l.reqId === "broken-1"));
  });

  it("logs a slow success at info with its response time", async () => {
    arrived = new Promise<void>((resolve) => (arrive = resolve));
    const pending = fetch(base + "/slow", { headers: { "x-request-id": "slow-1" } });
    await arrived;
    const started = Date.now();
    while (Date.now() - started < 60) await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await pending;
    await settle();
    const [line] = completed("slow-1");
    assert.equal(line.level, 30);
    assert.ok(line.responseTime >= 50);
  });
});
