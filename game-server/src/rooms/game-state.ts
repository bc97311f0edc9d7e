import { Encoder, schema, t, type SchemaType } from "@colyseus/schema";

/**
 * Synced room state. Only public facts: secrets (tickets, room keys, seeds, tokens) never go
 * here. Field by field it is `RoomStateView` / `PlayerStateView` of shared/src/protocol.ts.
 */
export const PlayerState = schema(
  {
    /** Display name (guests: the chosen nickname). */
    nick: t.string().default(""),
    /** True for guests (their scores are never saved). */
    guest: t.boolean().default(false),
    /** False while the player's socket is dropped and may still reconnect. */
    connected: t.boolean().default(true),
    /** Game: points so far (classic, shaky) or elapsed ms of a completed steps game. */
    score: t.number().default(0),
    /** Game: "waiting" | "running" | "ended". */
    status: t.string().default("waiting"),
    /** Game: server epoch ms when the running game ends (0: none / untimed). */
    endsAt: t.number().default(0),
    /** Match: the ready badge (lobby), cleared when a round starts. */
    ready: t.boolean().default(false),
    /** Match: false after PLAYER_INACTIVE_MS without a message ("away"). */
    active: t.boolean().default(true),
    /** Match: plays the current round (false: watching). */
    playing: t.boolean().default(false),
    /** Game: accepted points this round. */
    points: t.number().default(0),
    /** Game: bursts counted by the anti-cheat this round. */
    bursts: t.number().default(0),
    /** Game: stopped by the burst anti-cheat this round (placed last). */
    flagged: t.boolean().default(false),
    /** Match: 1, 2, 3… in results (ties share); 0 otherwise. */
    placement: t.number().default(0),
    /** Equipped skin id (the catalogue's default for guests and unknown ids). */
    skin: t.string().default(""),
  },
  "PlayerState",
);
export type PlayerState = SchemaType<typeof PlayerState>;

export const GameState = schema(
  {
    /** Players by Colyseus sessionId. */
    players: t.map(PlayerState),
    /** Game mode of the room. */
    mode: t.string().default(""),
    /**
     * An accounts-only room: guests get no ticket. It does not change whose results are saved
     * (every logged-in player's valid result is, in any room; a guest's never).
     */
    ranked: t.boolean().default(false),
    /** The room's join code. */
    code: t.string().default(""),
    /** A room of one seat (maxPlayers 1). */
    solo: t.boolean().default(false),
    /** Match phase: lobby | countdown | running | results. */
    phase: t.string().default("lobby"),
    /** The host's sessionId ("" while nobody is seated). */
    host: t.string().default(""),
    /** The current (or last) round; 0 before the first. */
    round: t.number().default(0),
    /** Server epoch ms the round's games start at (0: none). */
    startsAt: t.number().default(0),
    /** Server epoch ms the round's timed games end at; steps: the abandon deadline (0: none). */
    endsAt: t.number().default(0),
  },
  "GameState",
);
export type GameState = SchemaType<typeof GameState>;

/** Most bytes one seat adds to the encoded state: its key and PlayerState at their widest (game-state.test.ts). */
export const SEAT_STATE_BYTES = 384;
/** Most bytes of the room's own fields of the encoded state. */
const ROOM_STATE_BYTES = 256;

/**
 * Assigns a room's synced state (`assign` runs `this.state = …`) with Colyseus's two encode
 * buffers of that room — the encoder's and the full-state one, `Encoder.BUFFER_SIZE` each, 16 KB
 * by default, allocated when the state is assigned — sized for `maxPlayers` seats at their
 * widest: 1.75 KB for a room of 4, instead of 32 KB a room (8 KB a seat). A state that outgrows
 * them is still encoded whole: the encoder grows its buffer (and warns).
 */
export function assignSizedState(maxPlayers: number, assign: () => void): void {
  const size = Encoder.BUFFER_SIZE;
  Encoder.BUFFER_SIZE = ROOM_STATE_BYTES + SEAT_STATE_BYTES * maxPlayers;
  try {
    assign();
  } finally {
    Encoder.BUFFER_SIZE = size;
  }
}
