// Request budgets of the room API: tickets per client IP, rooms per account (config
// TICKET_RATE_LIMIT, ROOM_CREATE_RATE_LIMIT), refused RATE_LIMIT_EXCEEDED with retry_after.
import assert from "node:assert/strict";
import { request } from "node:http";
import { bearer, createRoom, post, startTestServer, type TestServer } from "./test-server.ts";

/** POST from a chosen loopback source address (another client). */
function postFrom(localAddress: string, url: string, body: unknown): Promise<{ status: number; body: any }> {
  const { hostname, port, pathname } = new URL(url);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: pathname, method: "POST", localAddress, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) } }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (data += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }));
    });
    req.on("error", reject);
    req.end(text);
  });
}

describe("room API request budgets", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ TICKET_RATE_LIMIT: "3", ROOM_CREATE_RATE_LIMIT: "2" })));
  after(() => server.close());

  it("refuses a third room per minute from one account, not from another", async () => {
    const { token } = await server.login();
    await createRoom(server, token);
    await createRoom(server, token);
    const refused = await post(`${server.url}/rooms`, { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 2 }, bearer(token));
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error_code, "RATE_LIMIT_EXCEEDED");
    assert.ok(refused.body.retry_after >= 1 && refused.body.retry_after <= 60, JSON.stringify(refused.body));
    const other = await server.login();
    assert.equal((await post(`${server.url}/rooms`, { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 2 }, bearer(other.token))).status, 201);
  });

  it("refuses a fourth ticket per minute from one address, not from another address", async () => {
    const { token } = await server.login();
    const { roomId } = await createRoom(server, token, { maxPlayers: 8 });
    const url = `${server.url}/getTicket/${roomId}`;
    for (let i = 0; i < 3; i++) assert.equal((await postFrom("127.0.0.1", url, { username: `guest${i}` })).status, 200);
    const refused = await postFrom("127.0.0.1", url, { username: "guest3" });
    assert.equal(refused.status, 429);
    assert.deepEqual([refused.body.error_code, refused.body.retry_after >= 1], ["RATE_LIMIT_EXCEEDED", true]);
    assert.equal((await postFrom("127.0.0.2", url, { username: "guest4" })).status, 200);
  });
});
