import { matchMaker } from "@colyseus/core";
import { AppError, RoomName, type IdentityClaims } from "@arena/shared";
import express, { Router, type Request, type RequestHandler } from "express";
import { z } from "zod";
import { clientIp } from "@arena/shared/http/client-ip";
import type { IdentityAuth } from "@arena/shared/tokens/identity-auth";
import { RequestBudget } from "./request-budget.ts";
import type { GameRoomMetadata } from "../rooms/game-room.ts";
import { gameRoomOptionsSchema } from "../rooms/game-room-settings.ts";
import { parseRoomCode, type RoomCodeStore } from "../stores/room-code-store.ts";
import { roomInfoOf } from "../rooms/matchmaker-room-directory.ts";
import type { RoomDirectory, RoomInfo } from "../tickets/room-directory.ts";
import type { TicketService } from "../tickets/ticket-service.ts";

export interface RoomRoutesDeps {
  identity: IdentityAuth;
  tickets: TicketService;
  codes: RoomCodeStore;
  rooms: RoomDirectory;
  /** Largest maxPlayers accepted. */
  maxPlayersLimit: number;
  /** Tickets per client IP per minute. */
  ticketRateLimit: number;
  /** Rooms created per account per minute. */
  roomCreateRateLimit: number;
  /** Reverse-proxy hops trusted for the client IP. */
  trustProxy: number;
}

const json = express.json({ limit: "4kb" });
const guestBodySchema = z.object({ username: z.unknown() }).partial();

/**
 * The room HTTP API: create a room, resolve a code, list open rooms, issue tickets.
 * Body parsing is per route: a global parser would swallow the matchmaking bodies.
 */
export function roomRoutes(deps: RoomRoutesDeps): Router {
  const router = Router();
  const ticketBudget = new RequestBudget("tickets", deps.ticketRateLimit);
  const roomBudget = new RequestBudget("rooms", deps.roomCreateRateLimit);
  const roomOptionsSchema = gameRoomOptionsSchema.extend({ maxPlayers: z.number().int().min(1).max(deps.maxPlayersLimit) });
  const requireIdentity: RequestHandler = async (req, res, next) => {
    const token = identityToken(req);
    if (!token) return next(new AppError("UNAUTHORIZED"));
    try {
      res.locals.identity = await deps.identity(token);
      next();
    } catch (err) {
      next(err);
    }
  };

  router.post("/rooms", json, requireIdentity, async (req, res) => {
    const creator = res.locals.identity as IdentityClaims;
    const listing = await roomBudget.spend(creator.sub, async () => {
      const body = roomOptionsSchema.safeParse(req.body ?? {});
      if (!body.success) throw validationFailed(body.error);
      return matchMaker.createRoom(RoomName.Game, { ...body.data, createdBy: creator.sub });
    });
    const metadata = listing.metadata as GameRoomMetadata;
    res.status(201).json({ success: true, roomId: listing.roomId, code: metadata.code, createdBy: creator.sub });
  });

  router.get("/rooms/by-code/:code", async (req, res) => {
    const code = parseRoomCode(String(req.params.code));
    const roomId = code && (await deps.codes.resolve(code));
    const room = roomId ? await deps.rooms.find(roomId) : null;
    if (!room) throw new AppError("ROOM_NOT_FOUND");
    res.json({ success: true, ...publicRoom(room) });
  });

  router.get("/rooms", async (_req, res) => {
    const listings = await matchMaker.query({ name: RoomName.Game, private: false });
    const rooms = listings
      .map((listing) => roomInfoOf(listing))
      .filter((room): room is RoomInfo => room !== null && room.clients < room.maxPlayers)
      .map(publicRoom);
    res.json({ success: true, rooms });
  });

  router.post("/getTicket/:roomId", json, async (req, res) => {
    const ip = clientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], deps.trustProxy);
    const issued = await ticketBudget.spend(ip, async () => {
      const roomId = String(req.params.roomId);
      const body = guestBodySchema.safeParse(req.body ?? {});
      if (!body.success) throw validationFailed(body.error);
      const token = identityToken(req);
      return token ? deps.tickets.issueForPlayer(roomId, token) : deps.tickets.issueForGuest(roomId, body.data.username);
    });
    res.json({ success: true, ...issued });
  });

  return router;
}

function publicRoom(room: RoomInfo) {
  return { roomId: room.roomId, code: room.code, mode: room.mode, ranked: room.ranked, allowGuests: room.allowGuests, maxPlayers: room.maxPlayers, players: room.clients };
}

/** VALIDATION_FAILED naming each bad field (`body` for the body itself, e.g. an array). */
function validationFailed(error: z.ZodError): AppError {
  return new AppError("VALIDATION_FAILED", error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
}

/** `Authorization: Bearer <jwt>`, or the `tokenJwt` header older clients send (docs/api-game-server.md). */
function identityToken(req: Request): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization?.startsWith("Bearer ")) return authorization.slice(7).trim() || undefined;
  const header = req.headers.tokenjwt;
  return typeof header === "string" && header ? header : undefined;
}
