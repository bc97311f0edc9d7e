// WebSocket floods from one address against the running product: the scoreboard socket and the
// game server each cap sockets per client IP, and idle anonymous scoreboard sockets are closed.
import assert from "node:assert/strict";
import { CloseCode, ScoreboardMessage } from "@arena/shared";
import WebSocket from "ws";
import { product, type Product } from "./product.ts";

/** Opens a WebSocket from `localAddress`: the open socket, or the HTTP status its upgrade got. */
function open(url: string, localAddress: string): Promise<{ ws?: WebSocket; status?: number; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { localAddress });
    const closed = new Promise<number>((done) => ws.once("close", (code) => done(code)));
    ws.once("open", () => resolve({ ws, closed }));
    ws.once("unexpected-response", (_req, res) => resolve({ status: res.statusCode, closed }));
    ws.once("error", reject);
  });
}

describe("security: WebSocket caps per client IP", function () {
  this.timeout(120_000);
  let p: Product;
  before(async () => (p = await product()));

  it("the scoreboard socket closes the socket past WS_CONNECTIONS_PER_IP (20); another address still watches", async () => {
    const url = `${p.backend.replace(/^http/, "ws")}/ws/scoreboard`;
    const mine = [];
    for (let i = 0; i < 20; i++) {
      const socket = await open(url, "127.0.0.5");
      socket.ws!.send(JSON.stringify({ type: ScoreboardMessage.Subscribe, board: "general", period: "all" }));
      mine.push(socket);
    }
    const extra = await open(url, "127.0.0.5");
    assert.equal(await extra.closed, CloseCode.IpConnectionLimit);
    const other = await open(url, "127.0.0.6");
    other.ws!.send(JSON.stringify({ type: ScoreboardMessage.Subscribe, board: "general", period: "all" }));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(other.ws!.readyState, WebSocket.OPEN);
    for (const s of [...mine, other]) s.ws!.close();
  });

  it("the scoreboard socket closes an anonymous socket that subscribes to nothing", async () => {
    const idle = await open(`${p.backend.replace(/^http/, "ws")}/ws/scoreboard`, "127.0.0.7");
    assert.equal(await idle.closed, CloseCode.SubscribeTimeout);
  });

  it("the game server refuses the upgrade past its WS_CONNECTIONS_PER_IP (16) with 429", async () => {
    const url = `${p.game.replace(/^http/, "ws")}/`;
    const mine = await Promise.all(Array.from({ length: 16 }, () => open(url, "127.0.0.8")));
    assert.ok(mine.every((s) => s.ws), "16 sockets open");
    const extra = await open(url, "127.0.0.8");
    assert.equal(extra.status, 429);
    const other = await open(url, "127.0.0.9");
    assert.ok(other.ws, "another address connects");
    for (const s of [...mine, other]) s.ws!.terminate();
  });
});
