import assert from "node:assert/strict";
import { RoomErrorCode } from "@arena/shared";
import { Player, seat, startGameWorld, type GameWorld } from "./game-test-kit.ts";
import { get, join, refusal } from "./test-server.ts";

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, line: string): number | undefined {
  const found = text.split("\n").find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe("game-server metrics", () => {
  let world: GameWorld;
  before(async () => (world = await startGameWorld({ METRICS_PORT: "0" })));
  after(() => world.close());

  it("are served on the loopback metrics listener only, never on the public one", async () => {
    const url = world.server.running.metricsUrl!;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.notEqual(new URL(url).port, new URL(world.server.url).port);
    const pub = await get(`${world.server.url}/metrics`);
    assert.equal(pub.status, 404);
    assert.equal(pub.body.error_code, "NOT_FOUND");
    assert.equal((await fetch(url.replace("/metrics", "/"))).status, 404, "the metrics listener serves nothing else");
  });

  it("count rooms, seats, joins, refusals by code, point events, outbox depth and event-loop lag", async () => {
    const { roomId, player } = await seat(world, "classic");
    assert.equal(await refusal(join(world.server.url, roomId, "not-a-ticket")), RoomErrorCode.TICKET_INVALID);
    await get(`${world.server.url}/rooms/by-code/ZZZZZZ`);
    const started = await player.start();
    await player.play(started.target, 1);
    const text = await (await fetch(world.server.running.metricsUrl!)).text();
    assert.ok(sample(text, "game_rooms")! >= 1, "rooms");
    assert.ok(sample(text, "game_seated_clients")! >= 1, "seated clients");
    assert.ok(sample(text, "game_joins_total")! >= 1, "joins");
    assert.ok(sample(text, 'game_refusals_total{where="join",code="TICKET_INVALID"}')! >= 1, "join refusals by code");
    assert.ok(sample(text, 'game_refusals_total{where="http",code="ROOM_NOT_FOUND"}')! >= 1, "HTTP refusals by code");
    assert.ok(sample(text, 'game_point_events_total{outcome="accepted"}')! >= 1, "point events");
    assert.notEqual(sample(text, "game_results_outbox_depth"), undefined, "outbox depth");
    assert.notEqual(sample(text, "nodejs_eventloop_lag_seconds"), undefined, "event-loop lag");
    await (player as Player).leave();
  });
});
