import type { GameMode } from "@arena/shared";

/** What ticket issuing needs to know about a live room (on any process). */
export interface RoomInfo {
  roomId: string;
  code: string;
  mode: GameMode;
  /** Accounts only: guests get no ticket. */
  ranked: boolean;
  /** Guests may get tickets (false when ranked). */
  allowGuests: boolean;
  maxPlayers: number;
  /** Seated clients plus pending seat reservations. */
  clients: number;
}

/** Looks up live rooms across every process (the matchmaker driver in production). */
export interface RoomDirectory {
  /** The live room, or null. */
  find(roomId: string): Promise<RoomInfo | null>;
}
