import type { AuthContext } from "@colyseus/core";
import { AppError, type TicketClaims } from "@arena/shared";
import type { RoomContext } from "./room-context.ts";
import { toServerError } from "./room-errors.ts";

const JOIN_BY_ID = /\/matchmake\/joinById\/([^/?#]+)/;

/**
 * The HTTP half of joining (`static onAuth`, on whichever process got the matchmaking call):
 * the ticket must be for this very room and valid, its session alive, its holder not already
 * seated, the room not full. Cheap pre-checks; the room re-checks presence and capacity
 * atomically when the seat is consumed.
 */
export async function admitTicket(ctx: RoomContext, token: string | undefined, auth: AuthContext): Promise<TicketClaims> {
  try {
    const roomId = targetRoomId(auth);
    if (!token) throw new AppError("TICKET_INVALID", "A room ticket is required.");
    const claims = await ctx.tickets.verify(token, roomId);
    // Three independent lookups (one Redis round trip together); checked in a fixed order.
    const [session, holder, room] = await Promise.all([
      claims.sid ? ctx.sessions.get(claims.sid) : true,
      ctx.presence.holder(claims.sub),
      ctx.rooms.find(roomId),
    ]);
    if (!session) throw new AppError("SESSION_EXPIRED");
    if (holder?.jti === claims.jti) throw new AppError("TICKET_IN_USE");
    if (holder) throw new AppError("ALREADY_IN_ROOM");
    if (!room) throw new AppError("ROOM_NOT_FOUND");
    if (room.clients >= room.maxPlayers) throw new AppError("ROOM_FULL");
    return claims;
  } catch (err) {
    throw toServerError(err, ctx.log);
  }
}

/** The room a matchmaking request targets; only joinById is allowed (rooms are made by POST /rooms). */
function targetRoomId(auth: AuthContext): string {
  const url: string = auth.req?.url ?? "";
  const match = JOIN_BY_ID.exec(url);
  if (!match) throw new AppError("TICKET_INVALID", "Join a room by id with a ticket.");
  return decodeURIComponent(match[1]);
}
