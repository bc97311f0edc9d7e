import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { ClientMessage, MemorySessionStore } from "@arena/shared";
import { signIdentityToken } from "@arena/shared/tokens/identity-token";
import { pino } from "pino";
import { loadConfig } from "../src/config.ts";
import { startGameServer, type RunningGameServer } from "../src/server.ts";
import { createRoom, guestTicket, identityKeyPair, join, testEnv, waitFor, type TestServer } from "./test-server.ts";

describe("client-caused refusals in the logs", () => {
  const lines: Array<Record<string, any>> = [];
  let running: RunningGameServer;
  let server: TestServer;
  before(async () => {
    const sink = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l)); done(); } });
    const config = loadConfig(testEnv(`test:${randomUUID()}:`, { LOG_LEVEL: "info" }));
    const keys = identityKeyPair();
    const sessions = new MemorySessionStore();
    running = await startGameServer(config, { identityKeys: keys.resolve, sessions, log: pino({ level: "info" }, sink) });
    server = {
      config, running, url: running.url, sessions, signing: keys.signing,
      async login() {
        const sid = randomUUID();
        await sessions.put(sid, { userId: "77", expiresAt: Date.now() + 3_600_000 });
        return { token: signIdentityToken({ sub: "77", nick: "host77", sid, role: "player" }, keys.signing, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds: 900 }), sid, sub: "77" };
      },
      close: () => running.close(),
    };
  });
  after(() => running.close());

  it("a malformed room message is one warn line without a stack; its sender is disconnected", async () => {
    const { token } = await server.login();
    const { roomId } = await createRoom(server, token);
    const room = await join(server.url, roomId, await guestTicket(server, roomId, "mangler"));
    const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    const before = lines.length;
    room.send(ClientMessage.Ping, { t: "not a number", junk: "x".repeat(200) });
    assert.notEqual(await left, 4000, "disconnected");
    await waitFor(() => lines.slice(before).some((l) => l.msg === "malformed room message refused"));
    const caused = lines.slice(before).filter((l) => l.level >= 40);
    assert.equal(caused.length, 1, JSON.stringify(caused));
    assert.equal(caused[0].level, 40, "warn, not error");
    assert.equal(caused[0].type, ClientMessage.Ping);
    assert.match(caused[0].issue, /^t: /);
    assert.equal(JSON.stringify(caused[0]).includes("\\n    at "), false, "no stack trace");
    assert.equal(caused[0].err, undefined);
  });
});
