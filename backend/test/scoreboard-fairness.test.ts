import assert from "node:assert/strict";
import { CloseCode, ScoreboardMessage } from "@arena/shared";
import type { TestBackend } from "./support/test-backend.ts";
import { newPlayer, openSocket, startScoresBackend } from "./scores-support.ts";

const mode = `${process.env.DATABASE_URL ? "postgres" : "pglite"} + ${process.env.REDIS_URL ? "redis" : "memory"}`;
const isSnapshot = (m: { type: string }) => m.type === ScoreboardMessage.Snapshot;
const subscribe = { type: ScoreboardMessage.Subscribe, board: "general", period: "all" };

/** A socket from `localAddress` that subscribes at once and has its SNAPSHOT. */
async function viewer(url: string, localAddress: string, headers: Record<string, string> = {}) {
  const socket = await openSocket(url, headers, { localAddress });
  socket.send(subscribe);
  await socket.next(isSnapshot);
  return socket;
}

describe(`WebSocket /ws/scoreboard: fair share of the slots (${mode})`, function () {
  this.timeout(30_000);

  describe("per client IP and idle anonymous sockets", () => {
    let backend: TestBackend;
    before(async () => (backend = await startScoresBackend({ WS_CONNECTIONS_PER_IP: "3", WS_SUBSCRIBE_TIMEOUT: "1", WS_CONNECTION_LIMIT: "50" })));
    after(async () => backend?.close());

    it("caps sockets per client IP (4007); other addresses still get in", async () => {
      const mine = [];
      for (let i = 0; i < 3; i++) mine.push(await viewer(backend.url, "127.0.0.2"));
      const extra = await openSocket(backend.url, {}, { localAddress: "127.0.0.2" });
      assert.equal((await extra.closed).code, CloseCode.IpConnectionLimit);
      const other = await viewer(backend.url, "127.0.0.3");
      for (const s of mine) assert.equal(s.ws.readyState, s.ws.OPEN, "sockets already open are kept");
      mine[0].close();
      await mine[0].closed;
      const again = await viewer(backend.url, "127.0.0.2");
      for (const s of [...mine.slice(1), other, again]) s.close();
    });

    it("ignores a forged X-Forwarded-For when TRUST_PROXY is 0", async () => {
      const mine = [];
      for (let i = 0; i < 3; i++) mine.push(await viewer(backend.url, "127.0.0.4", { "x-forwarded-for": `10.9.9.${i}` }));
      const extra = await openSocket(backend.url, { "x-forwarded-for": "10.9.9.99" }, { localAddress: "127.0.0.4" });
      assert.equal((await extra.closed).code, CloseCode.IpConnectionLimit);
      for (const s of mine) s.close();
    });

    it("closes an anonymous socket that subscribes to nothing (4008), keeps watchers and logged-in sockets", async () => {
      const idle = await openSocket(backend.url, {}, { localAddress: "127.0.0.5" });
      const watcher = await viewer(backend.url, "127.0.0.5");
      const player = await newPlayer(backend);
      const identified = await openSocket(backend.url, { authorization: `Bearer ${player.token}` }, { localAddress: "127.0.0.5" });
      assert.equal((await idle.closed).code, CloseCode.SubscribeTimeout);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(watcher.ws.readyState, watcher.ws.OPEN);
      assert.equal(identified.ws.readyState, identified.ws.OPEN);
      watcher.close();
      identified.close();
    });
  });

  describe("the process-wide limit", () => {
    let backend: TestBackend;
    before(async () => (backend = await startScoresBackend({ WS_CONNECTION_LIMIT: "3", WS_CONNECTIONS_PER_IP: "10" })));
    after(async () => backend?.close());

    it("refuses the newest connection (4001) and never evicts sockets already watching", async () => {
      const watching = [await viewer(backend.url, "127.0.0.6"), await viewer(backend.url, "127.0.0.7"), await viewer(backend.url, "127.0.0.8")];
      const newest = await openSocket(backend.url, {}, { localAddress: "127.0.0.9" });
      assert.equal((await newest.closed).code, CloseCode.ConnectionLimit);
      for (const s of watching) assert.equal(s.ws.readyState, s.ws.OPEN);
      for (const s of watching) s.close();
    });
  });
});
