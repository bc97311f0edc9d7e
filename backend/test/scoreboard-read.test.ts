import assert from "node:assert/strict";
import type { TestBackend } from "./support/test-backend.ts";
import { action, newPlayer, postScore, startScoresBackend } from "./scores-support.ts";

const mode = `${process.env.DATABASE_URL ? "postgres" : "pglite"} + ${process.env.REDIS_URL ? "redis" : "memory"}`;
const ORIGIN = "http://localhost:5173";

describe(`GET /api/scoreboard from the cached body (${mode})`, function () {
  let backend: TestBackend;
  before(async () => {
    backend = await startScoresBackend({ CORS_ORIGINS: ORIGIN });
  });
  after(async () => backend?.close());

  it("answers 304 to If-None-Match with the current strong ETag, and 200 with a new tag after a commit changes the top", async () => {
    const p = await newPlayer(backend, "etag");
    await postScore(backend, p.token, action(50));
    const first = await backend.api("GET", "/api/scoreboard?board=general&period=all");
    assert.equal(first.status, 200);
    const etag = first.headers.get("etag")!;
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/, "a strong tag");
    assert.equal(first.headers.get("cache-control"), "no-cache");
    assert.equal(first.headers.get("content-type"), "application/json; charset=utf-8");

    const again = await backend.api("GET", "/api/scoreboard", { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body, "");
    assert.equal(again.headers.get("etag"), etag);
    assert.equal((await backend.api("GET", "/api/scoreboard", { headers: { "if-none-match": `"other", W/${etag}` } })).status, 304, "weak comparison over a list");
    assert.equal((await backend.api("GET", "/api/scoreboard", { headers: { "if-none-match": '"other"' } })).status, 200);

    // Once the commit is acknowledged, the old tag no longer matches and the body shows the new leader.
    const q = await newPlayer(backend, "lead");
    const posted = await postScore(backend, q.token, action(900));
    assert.equal(posted.body.rank, 1);
    const after = await backend.api("GET", "/api/scoreboard", { headers: { "if-none-match": etag } });
    assert.equal(after.status, 200);
    assert.notEqual(after.headers.get("etag"), etag);
    assert.equal(after.body.leaderboard[0].user_id, q.id);
    assert.equal((await backend.api("GET", "/api/scoreboard", { headers: { "if-none-match": after.headers.get("etag")! } })).status, 304);
  });

  it("keeps one body per board and period", async () => {
    const p = await newPlayer(backend, "boards");
    await postScore(backend, p.token, action(70));
    const general = await backend.api("GET", "/api/scoreboard");
    const shaky = await backend.api("GET", "/api/scoreboard?board=shaky");
    assert.equal(shaky.status, 200);
    assert.equal(shaky.body.total_players, 0);
    assert.notEqual(shaky.headers.get("etag"), general.headers.get("etag"));
    assert.equal((await backend.api("GET", "/api/scoreboard?board=shaky", { headers: { "if-none-match": general.headers.get("etag")! } })).status, 200);
  });

  it("sends the security headers, a request id, and CORS only for an allowed origin", async () => {
    const allowed = await backend.api("GET", "/api/scoreboard", { headers: { origin: ORIGIN, "x-request-id": "trace-42" } });
    assert.equal(allowed.headers.get("x-content-type-options"), "nosniff");
    assert.equal(allowed.headers.get("referrer-policy"), "no-referrer");
    assert.equal(allowed.headers.get("x-frame-options"), "DENY");
    assert.equal(allowed.headers.get("x-request-id"), "trace-42");
    assert.equal(allowed.headers.get("access-control-allow-origin"), ORIGIN);
    assert.equal(allowed.headers.get("access-control-allow-credentials"), "true");
    assert.equal(allowed.headers.get("vary"), "Origin");

    const other = await backend.api("GET", "/api/scoreboard", { headers: { origin: "https://evil.example", "x-request-id": "bad id!" } });
    assert.equal(other.status, 200);
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    assert.match(other.headers.get("x-request-id")!, /^[0-9a-f-]{36}$/, "an unsafe id is replaced by a UUID");
  });

  it("leaves an unknown board or a repeated key to the full route's 400 UNKNOWN_BOARD", async () => {
    for (const query of ["?board=nope", "?period=hourly", "?board=general&board=shaky"]) {
      const res = await backend.api("GET", `/api/scoreboard${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error_code, "UNKNOWN_BOARD", query);
    }
  });

  it("counts the reads it serves in scoreboard_reads_total", async () => {
    const { body } = await backend.running.backend.renderMetrics();
    assert.match(body, /scoreboard_reads_total\{status="200"\} [1-9]/);
    assert.match(body, /scoreboard_reads_total\{status="304"\} [1-9]/);
  });
});
