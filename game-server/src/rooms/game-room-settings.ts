import { GAME_MODES, type GameMode } from "@arena/shared";
import { z } from "zod";
import type { GameServerConfig } from "../config.ts";
import { gameSettingsFrom } from "../game/game-config.ts";
import { matchSettingsFrom } from "../match/match-config.ts";

/** Options a game room is created with (POST /rooms). */
export const gameRoomOptionsSchema = z.object({
  mode: z.enum(GAME_MODES as [GameMode, ...GameMode[]]),
  /** Accounts only: no guest tickets (whatever allowGuests says). Results are saved in any room. */
  ranked: z.boolean(),
  /** Guests may get tickets (never in a ranked room). */
  allowGuests: z.boolean(),
  maxPlayers: z.number().int().min(1),
  /** Listed by GET /rooms unless private (then reachable by code or id only). */
  private: z.boolean().default(false),
});
export type GameRoomOptions = z.input<typeof gameRoomOptionsSchema>;

/** What the server adds to the options of a room made by POST /rooms (never read from the request body). */
const serverOptionsSchema = z.object({
  /** The account that created the room: its host when it takes its first seat. */
  createdBy: z.string().min(1).max(80).optional(),
});

/** What every room of a server shares, built once by {@link bindGameRoom} rather than per room. */
export function roomSettingsFrom(config: GameServerConfig) {
  return {
    /** The options a room is created with, seats capped at MAX_PLAYERS_LIMIT. */
    options: gameRoomOptionsSchema.extend({ maxPlayers: z.number().int().min(1).max(config.MAX_PLAYERS_LIMIT) }).merge(serverOptionsSchema),
    match: matchSettingsFrom(config),
    game: gameSettingsFrom(config),
  };
}
export type RoomSettings = ReturnType<typeof roomSettingsFrom>;
