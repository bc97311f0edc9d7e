import type { AuthContext } from "@colyseus/core";
import { AppError, roomErrorName, type TicketClaims } from "@arena/shared";
import type { ServerError } from "@colyseus/core";
import type { PresenceHolder } from "../stores/presence-store.ts";
import type { RoomContext } from "./room-context.ts";
import { roomError, toServerError } from "./room-errors.ts";

const JOIN_BY_ID = /\/matchmake\/joinById\/([^/?#]+)/;
/** How long a seat reservation waits for its socket (Colyseus's seat reservation time, 15 s). */
export const SEAT_RESERVATION_MS = 15_000;

/**
 * The HTTP half of joining (`static onAuth`, on whichever process got the matchmaking call):
 * the ticket must be for this very room and valid, never used before, its session alive, its
 * holder not already seated, the room not full. Cheap pre-checks; the room re-checks presence,
 * the ticket's single use and capacity atomically when the seat is taken ({@link takeSeat}).
 */
export async function admitTicket(ctx: RoomContext, token: string | undefined, auth: AuthContext): Promise<TicketClaims> {
  try {
    const roomId = targetRoomId(auth);
    if (!token) throw new AppError("TICKET_INVALID", "A room ticket is required.");
    const claims = await ctx.tickets.verify(token, roomId);
    // Three independent lookups (one Redis round trip together); checked in a fixed order.
    const [session, holder, spent, room] = await Promise.all([
      claims.sid ? ctx.sessions.get(claims.sid) : true,
      ctx.presence.holder(claims.sub),
      ctx.presence.spent(claims.jti),
      ctx.rooms.find(roomId),
    ]);
    if (!session) throw new AppError("SESSION_EXPIRED");
    if (holder?.jti === claims.jti) throw new AppError("TICKET_IN_USE");
    if (spent) throw new AppError("TICKET_USED");
    if (holder) throw new AppError("ALREADY_IN_ROOM");
    if (!room) throw new AppError("ROOM_NOT_FOUND");
    if (room.clients >= room.maxPlayers) throw new AppError("ROOM_FULL");
    if (!(await ctx.presence.holdReservation(claims.jti, Math.min(SEAT_RESERVATION_MS, ctx.tickets.msLeft(claims))))) throw new AppError("TICKET_IN_USE");
    return claims;
  } catch (err) {
    throw counted(ctx, toServerError(err, ctx.log));
  }
}

/**
 * The WebSocket half of joining (the room's onJoin): takes the single presence for `seat` and
 * spends the ticket in one atomic step, so one ticket seats one client once. Rejoining after
 * leaving takes a new ticket; a dropped client comes back with its reconnection token instead.
 */
export async function takeSeat(ctx: RoomContext, claims: TicketClaims, seat: PresenceHolder): Promise<void> {
  const taken = await ctx.presence.seat(claims.sub, seat, ctx.tickets.msLeft(claims));
  if (taken.seated) return ctx.metrics.joined();
  if ("spent" in taken) throw counted(ctx, roomError("TICKET_USED"));
  throw counted(ctx, roomError(taken.holder.jti === claims.jti ? "TICKET_IN_USE" : "ALREADY_IN_ROOM"));
}

/** Counts a join refusal by its code name. */
function counted(ctx: RoomContext, refusal: ServerError): ServerError {
  ctx.metrics.refused("join", roomErrorName(refusal.code) ?? String(refusal.code));
  return refusal;
}

/** The room a matchmaking request targets; only joinById is allowed (rooms are made by POST /rooms). */
function targetRoomId(auth: AuthContext): string {
  const url: string = auth.req?.url ?? "";
  const match = JOIN_BY_ID.exec(url);
  if (!match) throw new AppError("TICKET_INVALID", "Join a room by id with a ticket.");
  return decodeURIComponent(match[1]);
}
