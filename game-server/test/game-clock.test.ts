import assert from "node:assert/strict";
import { ClientMessage, ServerMessage } from "@arena/shared";
import { honestSubmission, seat, startGameWorld, type GameWorld } from "./game-test-kit.ts";

const YEAR_MS = 365 * 86_400_000;

/**
 * The whole game server runs on the clock it is given: identity tokens and sessions, tickets,
 * the game's timing, the pong and the service credential on its results. Here that clock is a
 * year behind the host's, so anything still reading the host's clock refuses or misdates.
 */
describe("game server on its injected clock (a year behind the host's)", () => {
  let world: GameWorld;
  const now = () => Date.now() - YEAR_MS;
  before(async () => (world = await startGameWorld({}, { now })));
  after(() => world.close());

  it("admits the player, times the game and saves its result on that clock", async () => {
    const { player } = await seat(world, "classic");
    player.room.send(ClientMessage.Ping, { t: 1 });
    const pong = await player.next(ServerMessage.Pong);
    assert.ok(Math.abs(pong.serverTime - now()) < 60_000, "pong tells the server's time");
    const started = await player.start();
    assert.ok(Math.abs(started.startedAt - now()) < 60_000, "the game starts on the server's clock");
    const accepted = await player.play(started.target, 2);
    const end = await player.next(ServerMessage.EndGame);
    assert.equal(end.reason, "timer");
    const result = await player.submit(honestSubmission(started, accepted, end.endToken));
    assert.deepEqual([result.accepted, result.saved, result.score], [true, true, 2]);
    const stored = world.backend.results.get(started.sessionId);
    assert.equal(Date.parse(stored.started_at), started.startedAt);
    assert.equal(Date.parse(stored.ended_at) - Date.parse(stored.started_at), 1500);
    await player.leave();
  });
});
