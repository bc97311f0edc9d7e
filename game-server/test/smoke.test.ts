import assert from "node:assert/strict";
import { createRoom, guestTicket, join, playerTicket, startTestServer, type TestServer } from "./test-server.ts";

for (let round = 0; round < 2; round++) {
  describe(`smoke ${round}`, () => {
    let server: TestServer;
    before(async () => (server = await startTestServer()));
    after(() => server.close());
    it("player and guest join", async () => {
      const alice = await server.login();
      const { roomId, code } = await createRoom(server, alice.token);
      assert.match(code, /^[2-9A-HJKMNP-Z]{6}$/);
      const room = await join(server.url, roomId, await playerTicket(server, roomId, alice.token));
      const guest = await join(server.url, roomId, await guestTicket(server, roomId, "bobby"));
      assert.ok(room.sessionId && guest.sessionId);
      await room.leave();
      await guest.leave();
    });
  });
}
