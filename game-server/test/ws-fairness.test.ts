import assert from "node:assert/strict";
import { RoomErrorCode } from "@arena/shared";
import WebSocket from "ws";
import { createRoom, guestTicket, join, startTestServer, type TestServer } from "./test-server.ts";

/** Opens a raw WebSocket from `localAddress`; answers "open" or the HTTP status it was refused with. */
function upgrade(url: string, localAddress: string): Promise<{ outcome: "open"; ws: WebSocket } | { outcome: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, "ws") + "/", { localAddress });
    ws.once("open", () => resolve({ outcome: "open", ws }));
    ws.once("unexpected-response", (_req, res) => resolve({ outcome: res.statusCode ?? 0 }));
    ws.once("error", reject);
  });
}

describe("game-server WebSocket joins and seat reservations", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ WS_CONNECTIONS_PER_IP: "2" })));
  after(() => server.close());

  it("caps open sockets per client IP (429 at the upgrade); other addresses still connect", async () => {
    const first = await upgrade(server.url, "127.0.0.2");
    const second = await upgrade(server.url, "127.0.0.2");
    const third = await upgrade(server.url, "127.0.0.2");
    const elsewhere = await upgrade(server.url, "127.0.0.3");
    assert.equal(first.outcome, "open");
    assert.equal(second.outcome, "open");
    assert.equal(third.outcome, 429);
    assert.equal(elsewhere.outcome, "open");
    for (const r of [first, second, elsewhere]) if (r.outcome === "open") r.ws.terminate();
  });

  it("gives one ticket one pending seat reservation: repeated matchmaking calls cannot fill a room", async () => {
    const { token } = await server.login();
    const { roomId } = await createRoom(server, token, { maxPlayers: 2 });
    const ticket = await guestTicket(server, roomId, "piler");
    const reserve = () =>
      fetch(`${server.url}/matchmake/joinById/${roomId}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${ticket}` }, body: "{}" });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await reserve()).status);
    assert.equal(statuses[0], 200);
    assert.deepEqual(statuses.slice(1), Array(4).fill(RoomErrorCode.TICKET_IN_USE));
    const other = await join(server.url, roomId, await guestTicket(server, roomId, "honest"));
    await other.leave();
  });
});
