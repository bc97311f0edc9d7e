import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "./test-server.ts";

const PAGE = "https://play.example";
const EVIL = "https://evil.example";

/** The CORS headers one request gets (a preflight when `preflight`). */
async function corsOf(url: string, origin: string, preflight = false) {
  const res = await fetch(url, {
    method: preflight ? "OPTIONS" : "GET",
    headers: { origin, ...(preflight ? { "access-control-request-method": "POST", "access-control-request-headers": "authorization" } : {}) },
  });
  await res.arrayBuffer();
  return { allowOrigin: res.headers.get("access-control-allow-origin"), credentials: res.headers.get("access-control-allow-credentials") };
}

describe("game-server CORS", () => {
  const paths = ["/rooms", "/healthz", "/nope", "/matchmake/joinById/game", "/getTicket/x"];

  describe("with CORS_ORIGINS set", () => {
    let server: TestServer;
    before(async () => (server = await startTestServer({ CORS_ORIGINS: `${PAGE}, https://other.example` })));
    after(() => server.close());

    it("answers a listed origin with its own origin and credentials", async () => {
      for (const path of paths) {
        for (const preflight of [false, true]) {
          assert.deepEqual(await corsOf(server.url + path, PAGE, preflight), { allowOrigin: PAGE, credentials: "true" }, `${path} preflight=${preflight}`);
        }
      }
    });

    it("gives any other origin no CORS header at all, on every route", async () => {
      for (const path of paths) {
        for (const preflight of [false, true]) {
          assert.deepEqual(await corsOf(server.url + path, EVIL, preflight), { allowOrigin: null, credentials: null }, `${path} preflight=${preflight}`);
        }
      }
    });
  });

  describe("with CORS_ORIGINS empty", () => {
    let server: TestServer;
    before(async () => (server = await startTestServer()));
    after(() => server.close());

    it("is same-origin only: no origin gets CORS headers", async () => {
      for (const origin of [EVIL, PAGE, "null"]) {
        for (const path of paths) assert.equal((await corsOf(server.url + path, origin, true)).allowOrigin, null, `${origin} ${path}`);
      }
    });
  });
});
