import assert from "node:assert/strict";
import { SchemaSerializer } from "@colyseus/core";
import { Encoder } from "@colyseus/schema";
import { GAME_MODES, MatchPhase } from "@arena/shared";
import { SKINS } from "@arena/shared/progression/skins";
import { GameStatus } from "@arena/shared/rules/index";
import { assignSizedState, GameState, PlayerState, SEAT_STATE_BYTES } from "./game-state.ts";

const longest = (values: readonly string[]) => values.reduce((a, b) => (b.length > a.length ? b : a));
/** A number the encoder writes as a float64 (its widest form). */
const WIDE = 2 ** 40 + 0.5;

/** A room of `seats` players with every field at its widest: 64-character nicks of 3-byte characters (tickets allow 64). */
function widestState(seats: number): GameState {
  const state = new GameState({ mode: longest(GAME_MODES), ranked: true, code: "XXXXXX", solo: true, phase: longest(Object.values(MatchPhase)), host: "h".repeat(32), round: WIDE, startsAt: WIDE, endsAt: WIDE });
  for (let i = 0; i < seats; i++) {
    state.players.set(String(i).padStart(32, "s"), new PlayerState({
      nick: "€".repeat(64), guest: true, connected: true, score: WIDE, status: longest(Object.values(GameStatus)), endsAt: WIDE,
      ready: true, active: true, playing: true, points: WIDE, bursts: WIDE, flagged: true, placement: WIDE, skin: longest(SKINS.map((s) => s.id)),
    }));
  }
  return state;
}

const encodedBytes = (state: GameState) => new Encoder(state).encodeAll({ offset: 0 }, new Uint8Array(1 << 20)).length;

describe("game state encode buffers", () => {
  it("one seat at its widest adds at most SEAT_STATE_BYTES to the encoded state", () => {
    assert.ok(encodedBytes(widestState(5)) - encodedBytes(widestState(4)) <= SEAT_STATE_BYTES);
  });

  for (const seats of [1, 4, 16]) {
    it(`sizes the room's two buffers for ${seats} seat(s), and the widest such state encodes into them without growing`, () => {
      const room = { state: undefined as GameState | undefined, serializer: new SchemaSerializer() };
      assignSizedState(seats, () => {
        room.state = widestState(seats);
        room.serializer = new SchemaSerializer(); // what Colyseus's state setter does
        room.serializer.reset(room.state);
      });
      const { encoder, fullEncodeBuffer } = room.serializer as unknown as { encoder: Encoder; fullEncodeBuffer: Uint8Array };
      assert.ok(encoder.sharedBuffer.byteLength < 16 * 1024 && encoder.sharedBuffer.byteLength === fullEncodeBuffer.byteLength);
      const before = encoder.sharedBuffer;
      const full = room.serializer.getFullState();
      assert.equal(encoder.sharedBuffer, before);
      assert.equal(full.buffer, fullEncodeBuffer.buffer, "the full state fits its buffer (no regrowth)");
      assert.equal(full.length, 1 + encodedBytes(widestState(seats)));
    });
  }

  it("restores Encoder.BUFFER_SIZE after the assignment, even one that throws", () => {
    const size = Encoder.BUFFER_SIZE;
    assert.throws(() => assignSizedState(4, () => { throw new Error("boom"); }), /boom/);
    assert.equal(Encoder.BUFFER_SIZE, size);
  });
});
