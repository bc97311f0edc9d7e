import assert from "node:assert/strict";
import { createRoom, guestTicket, join, playerTicket, startTestServer, type TestServer } from "./test-server.ts";

// The embedding launcher and the tests start and stop the game server inside one process:
// the process-wide Colyseus matchmaker must come back cleanly after a close.
for (let round = 1; round <= 2; round++) {
  describe(`game server started in-process (#${round})`, () => {
    let server: TestServer;
    before(async () => (server = await startTestServer()));
    after(() => server.close());

    it("admits a logged-in player and a guest", async () => {
      const alice = await server.login();
      const { roomId } = await createRoom(server, alice.token);
      const player = await join(server.url, roomId, await playerTicket(server, roomId, alice.token));
      const guest = await join(server.url, roomId, await guestTicket(server, roomId, "bobby"));
      assert.notEqual(player.sessionId, guest.sessionId);
      await guest.leave();
      await player.leave();
    });
  });
}
