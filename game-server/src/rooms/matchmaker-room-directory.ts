import { matchMaker } from "@colyseus/core";
import { RoomName } from "@arena/shared";
import type { RoomDirectory, RoomInfo } from "../tickets/room-directory.ts";
import type { GameRoomMetadata } from "./game-room.ts";
import { processAlive } from "./process-selection.ts";

/** A RoomDirectory over the matchmaker driver (local, or Redis across processes). */
export function matchmakerDirectory(): RoomDirectory {
  return {
    async find(roomId) {
      const listing = await matchMaker.getRoomById(roomId);
      if (!listing || listing.name !== RoomName.Game || !(await processAlive(listing.processId))) return null;
      return roomInfoOf(listing);
    },
  };
}

/** The ticket-relevant facts of a game room listing, or null when its metadata is incomplete. */
export function roomInfoOf(listing: { roomId: string; clients: number; metadata?: unknown }): RoomInfo | null {
  const metadata = listing.metadata as Partial<GameRoomMetadata> | undefined;
  if (!metadata?.code || !metadata.mode || !metadata.maxPlayers) return null;
  return {
    roomId: listing.roomId,
    code: metadata.code,
    mode: metadata.mode,
    ranked: metadata.ranked === true,
    allowGuests: metadata.allowGuests === true,
    maxPlayers: metadata.maxPlayers,
    clients: listing.clients,
  };
}
