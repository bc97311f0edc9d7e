import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MemorySessionStore } from "@arena/shared";
import { signIdentityToken } from "@arena/shared/tokens/identity-token";
import { pino } from "pino";
import { loadConfig } from "../src/config.ts";
import { startGameServer, type RunningGameServer } from "../src/server.ts";
import { bearer, post, testEnv } from "./test-server.ts";

/** The backend's JWKS endpoint, serving whatever keys the test puts in `keys`. */
function jwksServer(keys: Record<string, ReturnType<typeof generateKeyPairSync>>) {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits++;
    const body = { keys: Object.entries(keys).map(([kid, k]) => ({ ...k.publicKey.export({ format: "jwk" }), kid, alg: "ES256", use: "sig" })) };
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(body));
  });
  return { server, hits: () => hits };
}

describe("identity keys from the backend's JWKS URL", () => {
  const keys: Record<string, ReturnType<typeof generateKeyPairSync>> = { k1: generateKeyPairSync("ec", { namedCurve: "P-256" }) };
  const jwks = jwksServer(keys);
  const sessions = new MemorySessionStore();
  let running: RunningGameServer;

  before(async () => {
    await new Promise<void>((resolve) => jwks.server.listen(0, "127.0.0.1", resolve));
    const { port } = jwks.server.address() as AddressInfo;
    const config = loadConfig(testEnv(`test:${randomUUID()}:`, { IDENTITY_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`, JWKS_REFETCH_INTERVAL: "1" }));
    running = await startGameServer(config, { sessions, log: pino({ level: "silent" }) });
  });
  after(async () => {
    await running.close();
    await new Promise((resolve) => jwks.server.close(resolve));
  });

  async function tokenFor(kid: string) {
    const sid = randomUUID();
    await sessions.put(sid, { userId: "77", expiresAt: Date.now() + 60_000 });
    return signIdentityToken({ sub: "77", nick: "keyed", sid, role: "player" }, { kid, privateKey: keys[kid].privateKey }, { issuer: "arena-backend", audience: "arena", ttlSeconds: 60 });
  }

  it("verifies tokens with the fetched key and follows a key rotation", async () => {
    const created = await post(`${running.url}/rooms`, { mode: "steps", ranked: true, allowGuests: false, maxPlayers: 2 }, bearer(await tokenFor("k1")));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(jwks.hits(), 1);
    keys.k2 = generateKeyPairSync("ec", { namedCurve: "P-256" });
    await new Promise((r) => setTimeout(r, 1_100));
    const ticket = await post(`${running.url}/getTicket/${created.body.roomId}`, {}, bearer(await tokenFor("k2")));
    assert.equal(ticket.status, 200, JSON.stringify(ticket.body));
    assert.equal(jwks.hits(), 2);
  });

  it("refuses a token whose kid the backend does not publish", async () => {
    const stranger = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const token = signIdentityToken({ sub: "77", nick: "keyed", sid: randomUUID(), role: "player" }, { kid: "nope", privateKey: stranger.privateKey }, { issuer: "arena-backend", audience: "arena", ttlSeconds: 60 });
    const res = await post(`${running.url}/rooms`, { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 2 }, bearer(token));
    assert.equal(res.status, 401);
    assert.equal(res.body.error_code, "UNAUTHORIZED");
  });
});
