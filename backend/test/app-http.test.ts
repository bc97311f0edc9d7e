import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { Database } from "@arena/db";
import { errorMiddleware } from "../src/http/error-middleware.ts";
import { createLogger } from "../src/logger.ts";
import { loadBackendConfig } from "../src/config.ts";
import { startTestBackend, storageMode, type TestBackend } from "./support/test-backend.ts";

const PASSWORD = "correct horse battery";

describe(`backend HTTP surface (${storageMode})`, () => {
  let t: TestBackend;
  before(async () => (t = await startTestBackend({ env: { BODY_LIMIT: "2kb" } })));
  after(() => t.close());

  it("GET /healthz and /readyz answer", async () => {
    assert.deepEqual((await t.api("GET", "/healthz")).body, { status: "ok" });
    const ready = await t.api("GET", "/readyz");
    assert.equal(ready.status, 200);
    assert.equal(ready.body.database, process.env.DATABASE_URL ? "postgres" : "pglite");
  });

  it("answers unknown routes with 404 NOT_FOUND in the shared error shape", async () => {
    const res = await t.api("GET", "/nope");
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { success: false, error_code: "NOT_FOUND", message: "Not found." });
  });

  it("echoes a sane X-Request-Id and makes one up otherwise", async () => {
    assert.equal((await t.api("GET", "/healthz", { headers: { "x-request-id": "abc-123" } })).headers.get("x-request-id"), "abc-123");
    const made = (await t.api("GET", "/healthz", { headers: { "x-request-id": "bad id\twith tab" } })).headers.get("x-request-id");
    assert.match(made ?? "", /^[0-9a-f-]{36}$/);
  });

  it("serves an OpenAPI document built from the request schemas", async () => {
    const doc = (await t.api("GET", "/openapi.json")).body;
    assert.equal(doc.openapi, "3.1.0");
    for (const path of ["/auth/register", "/auth/login", "/auth/refresh", "/auth/logout", "/auth/heartbeat", "/current_user", "/.well-known/jwks.json", "/healthz", "/readyz"]) {
      assert.ok(doc.paths[path], `documents ${path}`);
    }
    const register = doc.paths["/auth/register"].post.requestBody.content["application/json"].schema;
    assert.deepEqual(register.required, ["username", "password"]);
    assert.equal(register.properties.password.minLength, 8);
    assert.equal(register.properties.password.maxLength, 128);
    assert.equal(doc.paths["/auth/login"].post.responses["429"].content["application/json"].schema.properties.retry_after.type, "integer");
  });

  describe("bad input gets a 4xx with a code, never a 500 or a stack trace", () => {
    const raw: Array<[string, string, Record<string, string>, number, string]> = [
      ["malformed JSON", '{"username": "abc", "password": ', { "content-type": "application/json" }, 400, "VALIDATION_FAILED"],
      ["JSON with a trailing comma", '{"username":"abc","password":"12345678",}', { "content-type": "application/json" }, 400, "VALIDATION_FAILED"],
      ["a bare string (strict JSON)", '"hello"', { "content-type": "application/json" }, 400, "VALIDATION_FAILED"],
      ["an oversized body", JSON.stringify({ username: "big", password: "x".repeat(5000) }), { "content-type": "application/json" }, 413, "PAYLOAD_TOO_LARGE"],
      ["form encoding", "username=abc&password=12345678", { "content-type": "application/x-www-form-urlencoded" }, 400, "VALIDATION_FAILED"],
      ["no content type", '{"username":"abc","password":"12345678"}', { "content-type": "" }, 400, "VALIDATION_FAILED"],
      ["an unknown charset", '{"username":"abc"}', { "content-type": "application/json; charset=klingon" }, 400, "VALIDATION_FAILED"],
      ["a prototype-pollution body", '{"__proto__":{"admin":true},"username":"abc"}', { "content-type": "application/json" }, 400, "VALIDATION_FAILED"],
    ];
    for (const [name, body, headers, status, code] of raw) {
      it(`${name} → ${status} ${code}`, async () => {
        const res = await t.api("POST", "/auth/register", { body, headers });
        assert.equal(res.status, status);
        assert.equal(res.body.error_code, code);
        assert.doesNotMatch(JSON.stringify(res.body), /at .*\.ts|stack|node_modules/);
      });
    }

    const usernames: Array<[string, string]> = [
      ["a NUL byte", "ab\u0000cd"],
      ["a newline", "abc\ndef"],
      ["an escape sequence", "abc\u001b[31m"],
      ["a zero-width space", "ab\u200bcd"],
      ["a right-to-left override", "abc\u202edef"],
      ["Cyrillic look-alikes", "\u0430dmin"],
      ["Greek omicron", "r\u03bfot"],
      ["an emoji", "abc😀"],
      ["a SQL injection", "' OR '1'='1"],
      ["a SQL comment", "admin'--"],
      ["an HTML payload", "<script>alert(1)</script>"],
      ["a NoSQL operator object", { $ne: null } as unknown as string],
      ["a path traversal", "../../etc/passwd"],
      ["too short", "ab"],
      ["too long", "a".repeat(21)],
      ["only spaces", "     "],
    ];
    for (const [name, username] of usernames) {
      it(`username with ${name} → 400 VALIDATION_FAILED`, async () => {
        const res = await t.api("POST", "/auth/register", { body: { username, password: PASSWORD } });
        assert.equal(res.status, 400);
        assert.equal(res.body.error_code, "VALIDATION_FAILED");
        assert.ok(Array.isArray(res.body.details) && res.body.details[0].path === "username");
      });
    }

    it("login with injection strings is just wrong credentials", async () => {
      for (const username of ["' OR 1=1 --", "admin'--", "\u0430dmin", "a\u0000b"]) {
        const res = await t.api("POST", "/auth/login", { body: { username, password: "' OR ''='" } });
        assert.equal(res.status, 401);
        assert.equal(res.body.error_code, "INVALID_CREDENTIALS");
      }
    });

    it("the server still answers afterwards", async () => {
      assert.equal((await t.api("GET", "/healthz")).status, 200);
    });
  });
});

describe("readiness when the database is down", () => {
  let t: TestBackend;
  let real: Database;
  before(async () => {
    t = await startTestBackend();
    real = t.db;
  });
  after(() => t.close());

  it("GET /readyz answers 503 SERVICE_UNAVAILABLE", async () => {
    const ping = real.ping;
    (real as { ping: () => Promise<boolean> }).ping = async () => false;
    try {
      const res = await t.api("GET", "/readyz");
      assert.equal(res.status, 503);
      assert.equal(res.body.error_code, "SERVICE_UNAVAILABLE");
      assert.equal((await t.api("GET", "/healthz")).status, 200);
    } finally {
      (real as { ping: () => Promise<boolean> }).ping = ping;
    }
  });
});

describe("backend config", () => {
  it("has a default for every key", () => {
    const config = loadBackendConfig({});
    assert.equal(config.PORT, 3000);
    assert.equal(config.HOST, "127.0.0.1");
    assert.equal(config.ACCESS_TOKEN_TTL, 900);
    assert.equal(config.DATA_DIR, "./.data");
    assert.deepEqual(config.ADMIN_USERNAMES, []);
  });

  for (const [key, value] of [
    ["PORT", "70000"],
    ["ACCESS_TOKEN_TTL", "soon"],
    ["LOG_LEVEL", "loud"],
    ["DATABASE_URL", "not a url"],
    ["BODY_LIMIT", "lots"],
    ["COOKIE_SECURE", "maybe"],
    ["GAME_SERVER_URL", "localhost:2567"],
    ["GAME_SERVER_URL", "javascript:alert(1)"],
  ]) {
    it(`names ${key} when its value is bad`, () => {
      assert.throws(() => loadBackendConfig({ [key]: value }), new RegExp(`\\b${key}\\b`));
    });
  }

  it("takes a game-server address for the page as http(s):// or ws(s)://", () => {
    for (const url of ["http://127.0.0.1:2567", "https://play.example", "ws://localhost:2567", "wss://play.example/game"]) {
      assert.equal(loadBackendConfig({ GAME_SERVER_URL: url }).GAME_SERVER_URL, url);
    }
  });

  it("reads one-line PEMs with \\n escapes and comma lists", () => {
    const config = loadBackendConfig({ IDENTITY_SIGNING_KEY: '"-----BEGIN PRIVATE KEY-----\\nAAA\\n-----END PRIVATE KEY-----"', ADMIN_USERNAMES: " root , ops ,," });
    assert.equal(config.IDENTITY_SIGNING_KEY, "-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----");
    assert.deepEqual(config.ADMIN_USERNAMES, ["root", "ops"]);
  });
});

describe("CORS for configured browser origins", () => {
  let t: TestBackend;
  before(async () => (t = await startTestBackend({ env: { CORS_ORIGINS: "http://localhost:5173" } })));
  after(() => t.close());

  it("answers the preflight of an allowed origin, with credentials", async () => {
    const res = await t.api("OPTIONS", "/auth/login", { headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" } });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("access-control-allow-origin"), "http://localhost:5173");
    assert.equal(res.headers.get("access-control-allow-credentials"), "true");
  });

  it("gives other origins no CORS headers", async () => {
    const res = await t.api("GET", "/healthz", { headers: { origin: "http://evil.example" } });
    assert.equal(res.headers.get("access-control-allow-origin"), null);
  });
});

describe("error middleware on unexpected errors", () => {
  it("answers 500 INTERNAL without the error's message or stack, and keeps serving", async () => {
    const app = express();
    app.get("/boom", () => {
      throw new Error("connection to db.internal:5432 failed for user secret_user");
    });
    app.get("/async-boom", async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    });
    app.get("/ok", (_req, res) => void res.json({ ok: true }));
    app.use(errorMiddleware(createLogger({ LOG_LEVEL: "silent" })));
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of ["/boom", "/async-boom"]) {
        const res = await fetch(base + path);
        const text = await res.text();
        assert.equal(res.status, 500);
        assert.deepEqual(JSON.parse(text), { success: false, error_code: "INTERNAL", message: "Something went wrong." });
        assert.doesNotMatch(text, /secret_user|5432|TypeError|at /);
      }
      assert.equal((await fetch(base + "/ok")).status, 200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
