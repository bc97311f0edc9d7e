import assert from "node:assert/strict";
import { matchMaker } from "@colyseus/core";
import { ClientMessage, ServerMessage } from "@arena/shared";
import type { GameRoom } from "../src/rooms/game-room.ts";
import { Player, seat, startGameWorld, type GameWorld } from "./game-test-kit.ts";
import { guestTicket, join, waitFor } from "./test-server.ts";

/** What one point costs on the wire: one answer to its player; the synced state takes it at the patch. */
describe("game room: the point path", () => {
  let world: GameWorld;
  before(async () => (world = await startGameWorld()));
  after(() => world.close());

  it("answers each accepted point with exactly one message to its player, broadcasts nothing, and writes the state once per patch", async () => {
    const { roomId, player } = await seat(world, "classic");
    const started = await player.start();
    const watcher = new Player(await join(world.server.url, roomId, await guestTicket(world.server, roomId, "watcher")));
    await watcher.heartbeat();
    const room = matchMaker.getLocalRoomById(roomId) as unknown as GameRoom & { state: any; patchRate: number | null; broadcastPatch(): boolean };
    // No patches on their own from here: this test decides when the state is sent.
    room.patchRate = null;
    const sessionId = player.room.sessionId;
    const playerSeen = player.inbox.length;
    const watcherSeen = watcher.inbox.length;

    const accepted = await player.play(started.target, 3, 0);
    await player.sendAndSettle(ClientMessage.Heartbeat, { clientTs: Date.now() });
    await watcher.sendAndSettle(ClientMessage.Heartbeat, { clientTs: Date.now() });

    assert.deepEqual(accepted.map((a) => a.n), [0, 1, 2]);
    assert.deepEqual(player.inbox.slice(playerSeen).map((m) => m.type), [...Array(3).fill(ServerMessage.PointAccepted), ServerMessage.Pong]);
    assert.deepEqual(watcher.inbox.slice(watcherSeen).map((m) => m.type), [ServerMessage.Pong]);
    // Three points, and the synced state has not been written yet: it takes the latest view at the patch.
    assert.equal(room.state.players.get(sessionId).points, 0);
    room.broadcastPatch();
    assert.deepEqual([room.state.players.get(sessionId).points, room.state.players.get(sessionId).score], [3, 3]);
    await waitFor(() => (watcher.room.state as any).players.get(sessionId)?.points === 3);
    assert.equal((watcher.room.state as any).players.get(sessionId).score, 3);
    await Promise.all([player.leave(), watcher.leave()]);
  });
});
