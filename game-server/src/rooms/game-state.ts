import { schema, t, type SchemaType } from "@colyseus/schema";

/**
 * Synced room state. Only public facts: secrets (tickets, room keys, seeds, tokens) never go
 * here. The game logic adds its public fields (score, running, endsAt…) to these schemas.
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
  },
  "GameState",
);
export type GameState = SchemaType<typeof GameState>;
