// npm run -w game-server bench:point-path [-- rounds perRound] — the room's point path in one process,
// without sockets: real GameRooms (the bench thresholds of bench/ratios-server.ts), each point fed to
// Colyseus's `_onMessage` as the SDK frames it, the answer packed and handed to a socket stub, a patch
// per room every 5 points. Prints server CPU per point, the lowest of the rounds (the socket's own
// cost is left out; bench:ratios measures it beside the bare echo room).
import { matchMaker } from "@colyseus/core";
import { encode } from "@colyseus/schema";
import { Protocol } from "@colyseus/shared-types";
import { Packr } from "msgpackr";
import { ClientMessage } from "@arena/shared";
import { seat, startGameWorld } from "../test/game-test-kit.ts";

const [rounds, perRound] = [Number(process.argv[2] ?? 9), Number(process.argv[3] ?? 10_000)];
const ROOMS = 8;
const world = await startGameWorld({ GAME_DURATION_MS: "3600000", BURST_MAX_POINTS: "1000000", MAX_MESSAGES_PER_SECOND: "100000", LATENCY_ALLOWANCE_MS: "60000" });
const rooms: { room: any; client: any; sub: string }[] = [];
let bytes = 0;
for (let i = 0; i < ROOMS; i++) {
  const { roomId, player } = await seat(world, "classic");
  await player.start();
  const room = matchMaker.getLocalRoomById(roomId) as any;
  room.patchRate = null;
  const client = room.clients[0];
  client.ref.send = (data: Uint8Array) => (bytes += data.length);
  rooms.push({ room, client, sub: client.auth.sub });
}

const packr = new Packr();
const header = new Uint8Array(64);
header[0] = Protocol.ROOM_DATA;
const it = { offset: 1 };
encode.string(header as any, ClientMessage.Point, it);
/** A `point` frame as @colyseus/sdk's Room.send writes it. */
const frame = (message: unknown) => Buffer.concat([header.subarray(0, it.offset), packr.pack(message)]);

const perPoint: number[] = [];
for (let round = 0; round < rounds; round++) {
  const before = process.cpuUsage();
  for (let i = 0; i < perRound; i++) {
    const { room, client, sub } = rooms[i % ROOMS];
    const session = room.match.game.session(sub);
    const target = session.target;
    const clientTs = session.clientStartTs + (Date.now() - session.startedAt);
    room._onMessage(client, frame({ clientTs, target: target.index, x: target.x, y: target.y }));
    if (i % (5 * ROOMS) === 0) for (const r of rooms) r.room.broadcastPatch();
  }
  const used = process.cpuUsage(before);
  perPoint.push((used.user + used.system) / perRound);
}
const points = rooms.reduce((n, r) => n + r.room.match.game.session(r.sub).points.length, 0);
console.log(`room point path, no sockets: ${Math.min(...perPoint).toFixed(1)} µs CPU per point (lowest of ${rounds} rounds of ${perRound}; ${points / ROOMS} points per session, ${(bytes / points).toFixed(0)} bytes sent per point)`);
await world.close();
process.exit(0);
