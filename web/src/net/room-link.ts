import type { Room } from "@colyseus/sdk";
import { errorCodeOf } from "../error-text.ts";

/** Where a tab keeps the reconnection token of the room it sits in (per room, per tab). */
const seatKey = (roomId: string) => `arena.seat.${roomId}`;

/** How often a reload retries the saved seat before joining anew (the room may not have seen the old socket close yet). */
const RECONNECT_TRIES = 4;
const RECONNECT_PAUSE_MS = 400;

/** Colyseus's close code of a leave the client asked for. */
const CONSENTED_LEAVE = 4000;
/** From here up, the room closed the socket itself (e.g. 4100 idle): no seat left to take back. */
const SERVER_CLOSE_CODES = 4100;

type SeatStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/**
 * Enters room `roomId`: back into this tab's own seat when it has a reconnection token for it
 * (a reload), otherwise with a fresh ticket. The token is kept in `sessionStorage`, updated on
 * every reconnection, and forgotten when the player leaves on purpose.
 */
export async function enterRoom(gameServerUrl: string, roomId: string, ticket: () => Promise<string>, storage: SeatStorage = sessionStorage): Promise<Room> {
  // The SDK is most of the bundle's weight: loaded only when a player enters a room.
  const { Client } = await import("@colyseus/sdk");
  const client = new Client(gameServerUrl);
  const saved = storage.getItem(seatKey(roomId));
  let room: Room | null = null;
  if (saved) room = await reconnect(client, saved);
  if (!room) {
    storage.removeItem(seatKey(roomId));
    client.auth.token = await ticket();
    room = await client.joinById(roomId);
  }
  const joined = room;
  const keep = () => storage.setItem(seatKey(roomId), joined.reconnectionToken);
  keep();
  joined.onReconnect(keep);
  // A page being unloaded closes its socket too (1001/1005/1006): that seat is the one a reload takes back.
  joined.onLeave((code: number) => {
    if (code === CONSENTED_LEAVE || code >= SERVER_CLOSE_CODES) forgetSeat(roomId, storage);
  });
  return joined;
}

/** Forgets the tab's seat in `roomId` (the player left on purpose). */
export function forgetSeat(roomId: string, storage: SeatStorage = sessionStorage): void {
  storage.removeItem(seatKey(roomId));
}

async function reconnect(client: { reconnect(token: string): Promise<Room> }, token: string): Promise<Room | null> {
  for (let attempt = 1; attempt <= RECONNECT_TRIES; attempt++) {
    try {
      return await client.reconnect(token);
    } catch (error) {
      // An unknown room will not come back; anything else may be the old socket still closing.
      if (errorCodeOf(error) === "ROOM_NOT_FOUND" || attempt === RECONNECT_TRIES) return null;
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_PAUSE_MS));
    }
  }
  return null;
}
