// Account lockout from another address, CORS, the monitor and /metrics, against the running product.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { statSync } from "node:fs";
import path from "node:path";
import { requestFrom } from "../../backend/test/support/from-address.ts";
import { call } from "../support.ts";
import { product, type Product } from "./product.ts";

const PASSWORD = "correct horse battery";
const basic = (credential: string) => ({ authorization: `Basic ${Buffer.from(credential).toString("base64")}` });

describe("security: access", function () {
  this.timeout(120_000);
  let p: Product;
  before(async () => (p = await product()));

  it("an attacker's failed logins cannot lock the owner out from another address; unknown names answer alike", async () => {
    const owner = `own_${randomUUID().slice(0, 8)}`;
    assert.equal((await call("POST", `${p.backend}/auth/register`, { username: owner, password: PASSWORD })).status, 201);
    const guess = (from: string, username: string, password: string) => requestFrom(from, `${p.backend}/auth/login`, { body: { username, password } });
    const answers = async (from: string, username: string) => {
      const seen = [];
      for (let i = 0; i < 6; i++) {
        const res = await guess(from, username, `wrong-guess-${i}`);
        seen.push([res.status, res.body.error_code, res.body.retry_after]);
      }
      return seen;
    };
    const known = await answers("127.0.0.2", owner);
    assert.deepEqual(known.map(([, code]) => code), [...Array(4).fill("INVALID_CREDENTIALS"), "ACCOUNT_LOCKED", "ACCOUNT_LOCKED"]);
    assert.deepEqual(await answers("127.0.0.4", `ghost_${randomUUID().slice(0, 8)}`), known, "an unknown username locks the same way");
    assert.equal((await guess("127.0.0.2", owner, PASSWORD)).body.error_code, "ACCOUNT_LOCKED", "the attacker's address waits");
    const mine = await guess("127.0.0.3", owner, PASSWORD);
    assert.equal(mine.status, 200, `the owner logs in from another address: ${JSON.stringify(mine.body)}`);
  });

  it("answers CORS only for allowed origins: none configured = same origin only, on both apps", async () => {
    for (const base of [p.backend, p.game]) {
      for (const route of ["/healthz", "/rooms", "/auth/login", "/matchmake/joinById/game"]) {
        const res = await fetch(base + route, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
        assert.equal(res.headers.get("access-control-allow-origin"), null, `${base}${route}`);
      }
    }
    const page = await fetch(`${p.game}/rooms`, { headers: { origin: p.backend } });
    assert.equal(page.headers.get("access-control-allow-origin"), p.backend, "the page the launcher serves may call the game server");
  });

  it("has no default monitor credential: the launcher generated one, kept 0600 and printed once", async () => {
    for (const credential of [undefined, "admin:admin", "admin:", "admin:password"]) {
      const res = await fetch(`${p.game}/colyseus/api`, { headers: credential ? basic(credential) : {} });
      assert.equal(res.status, 401, String(credential));
    }
    const printed = /monitor: (\S+)\s+user (\S+)\s+password (\S+)/.exec(p.output());
    assert.ok(printed, p.output());
    const [, url, user, password] = printed;
    assert.equal(url, `${p.game}/colyseus/`);
    assert.equal((await fetch(`${p.game}/colyseus/api`, { headers: basic(`${user}:${password}`) })).status, 200);
    assert.equal(statSync(path.join(p.dataDir, "keys", "monitor-password")).mode & 0o777, 0o600);
    const call404 = await fetch(`${p.game}/colyseus/api/room/call?roomId=x&method=onJoin&args=[]`, { headers: basic(`${user}:${password}`) });
    assert.equal(call404.status, 400, "the room-call API refuses what the monitor does not offer");
  });

  it("serves /metrics on neither public listener", async () => {
    for (const base of [p.backend, p.game]) assert.equal((await fetch(`${base}/metrics`)).status, 404, base);
  });
});
