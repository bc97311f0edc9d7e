import { randomBytes, randomUUID, type KeyObject } from "node:crypto";
import { z } from "zod";
import { AppError, checkNewName, TokenType, type TicketClaims } from "@arena/shared";
import { DEFAULT_SKIN_ID, resolveSkinId } from "@arena/shared/progression/skins";
import type { IdentityAuth } from "@arena/shared/tokens/identity-auth";
import type { GuestNameStore } from "../stores/guest-name-store.ts";
import type { PresenceStore } from "../stores/presence-store.ts";
import type { RoomKeyStore } from "../stores/room-key-store.ts";
import type { RoomDirectory, RoomInfo } from "./room-directory.ts";
import { decodeJwt, hasValidHs256Signature, signHs256 } from "./ticket-jwt.ts";

export interface TicketServiceDeps {
  identity: IdentityAuth;
  rooms: RoomDirectory;
  keys: RoomKeyStore;
  presence: PresenceStore;
  nicknames: GuestNameStore;
  /** `iss` of tickets. */
  issuer: string;
  /** `aud` of tickets. */
  audience: string;
  /** Ticket lifetime in seconds (≤ 1800). */
  ttlSeconds: number;
  /** Seconds a ticket's `iat` may lie in the future (another process's clock): config TOKEN_CLOCK_SKEW. */
  clockSkewSeconds: number;
  /** Epoch ms; injectable for tests. */
  now?: () => number;
}

/** A freshly signed ticket and what it admits. */
export interface IssuedTicket {
  ticket: string;
  roomId: string;
  sub: string;
  nick: string;
  guest: boolean;
  /** Epoch seconds. */
  expiresAt: number;
}

const ticketClaimsSchema = z.object({
  sub: z.string().min(1).max(80),
  nick: z.string().min(1).max(64),
  roomId: z.string().min(1).max(64),
  guest: z.boolean(),
  sid: z.string().optional(),
  skin: z.string().max(64).optional(),
  typ: z.literal(TokenType.Ticket),
  jti: z.string().min(1).max(64),
  iss: z.string(),
  aud: z.string(),
  iat: z.number().int(),
  exp: z.number().int(),
});

/**
 * Issues room tickets (docs/api-game-server.md): players prove who they are with the backend's identity JWT,
 * guests pick a nickname; either way the ticket is an HS256 JWT signed with the room's own key,
 * so it is useless for any other room and dies with the room.
 */
export class TicketService {
  private readonly now: () => number;
  constructor(private readonly deps: TicketServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** A ticket for a logged-in player (identity JWT verified, session alive, not in a room). */
  async issueForPlayer(roomId: string, identityToken: string): Promise<IssuedTicket> {
    // The identity check and the room lookup are independent Redis round trips: run them together,
    // but report an identity failure first (401 before 404).
    const [checked, found] = await Promise.allSettled([this.deps.identity(identityToken), this.liveRoom(roomId)]);
    if (checked.status === "rejected") throw checked.reason;
    if (found.status === "rejected") throw found.reason;
    const [identity, { room, key }] = [checked.value, found.value];
    await this.assertNotPresent(identity.sub);
    assertRoomHasSpace(room);
    return this.sign(room.roomId, key, { sub: identity.sub, nick: identity.nick, guest: false, sid: identity.sid, skin: resolveSkinId(identity.skin) });
  }

  /** A ticket for a guest: nickname rules, guest-friendly unranked room, nickname unique among its guests. */
  async issueForGuest(roomId: string, username: unknown): Promise<IssuedTicket> {
    const name = typeof username === "string" ? checkNewName(username) : { ok: false as const, reason: "required" };
    if (!name.ok) throw new AppError("INVALID_NICKNAME", `Invalid nickname: ${name.reason}.`);
    const { room, key } = await this.liveRoom(roomId);
    if (!room.allowGuests || room.ranked) throw new AppError("GUESTS_NOT_ALLOWED");
    assertRoomHasSpace(room);
    const sub = `guest:${name.name}#${randomBytes(4).toString("hex")}`;
    if (!(await this.deps.nicknames.reserve(room.roomId, name.name, sub, this.deps.ttlSeconds * 1000))) {
      throw new AppError("NICKNAME_TAKEN");
    }
    return this.sign(room.roomId, key, { sub, nick: name.name, guest: true, skin: DEFAULT_SKIN_ID });
  }

  /**
   * Verifies a ticket presented to join `roomId`; each failure has its own code:
   * IDENTITY_TOKEN_AS_TICKET, TICKET_WRONG_ROOM, ROOM_NOT_FOUND, TICKET_EXPIRED, TICKET_INVALID.
   */
  async verify(ticket: string, roomId: string): Promise<TicketClaims> {
    // Decoded once: the checks before the key lookup read the unverified claims, the rest the verified ones.
    const decoded = decodeJwt(ticket);
    if (!decoded) throw new AppError("TICKET_INVALID");
    const unverified = decoded.payload;
    if (unverified.typ === TokenType.Identity) throw new AppError("IDENTITY_TOKEN_AS_TICKET");
    if (unverified.typ !== TokenType.Ticket) throw new AppError("TICKET_INVALID");
    if (unverified.roomId !== roomId) throw new AppError("TICKET_WRONG_ROOM");
    const key = await this.deps.keys.get(roomId);
    if (!key) throw new AppError("ROOM_NOT_FOUND");
    if (!hasValidHs256Signature(decoded, key)) throw new AppError("TICKET_INVALID");
    const parsed = ticketClaimsSchema.safeParse(unverified);
    if (!parsed.success) throw new AppError("TICKET_INVALID");
    const claims = parsed.data as TicketClaims;
    const now = Math.floor(this.now() / 1000);
    if (claims.iss !== this.deps.issuer || claims.aud !== this.deps.audience) throw new AppError("TICKET_INVALID");
    const notBefore = unverified.nbf;
    if (notBefore !== undefined && (typeof notBefore !== "number" || notBefore > now)) throw new AppError("TICKET_INVALID");
    // Issued in the future beyond the skew, or for longer than this service hands out: not one of ours.
    if (claims.iat > now + this.deps.clockSkewSeconds || claims.exp - claims.iat > this.deps.ttlSeconds) throw new AppError("TICKET_INVALID");
    if (now >= claims.exp) throw new AppError("TICKET_EXPIRED");
    return claims;
  }

  /** Milliseconds until a verified ticket expires, on this service's clock (at least 1). */
  msLeft(claims: TicketClaims): number {
    return Math.max(1, claims.exp * 1000 - this.now());
  }

  /** The room and its signing key, both of which must exist (on any process). */
  private async liveRoom(roomId: string): Promise<{ room: RoomInfo; key: KeyObject }> {
    const [room, key] = await Promise.all([this.deps.rooms.find(roomId), this.deps.keys.get(roomId)]);
    if (!room || !key) throw new AppError("ROOM_NOT_FOUND");
    return { room, key };
  }

  /**
   * Refuses an identity already seated somewhere. A presence held for a room that no longer
   * exists (its process was killed, so nothing released it) is released here instead, so the
   * player can join another room at once rather than after PRESENCE_TTL.
   */
  private async assertNotPresent(sub: string): Promise<void> {
    const holder = await this.deps.presence.holder(sub);
    if (!holder) return;
    if (await this.deps.rooms.find(holder.roomId)) throw new AppError("ALREADY_IN_ROOM", `You are already in room ${holder.roomId}.`);
    await this.deps.presence.release(sub, holder);
  }

  private sign(roomId: string, key: KeyObject, who: Pick<TicketClaims, "sub" | "nick" | "guest" | "sid" | "skin">): IssuedTicket {
    const iat = Math.floor(this.now() / 1000);
    const claims: TicketClaims = {
      sub: who.sub,
      nick: who.nick,
      roomId,
      guest: who.guest,
      ...(who.sid ? { sid: who.sid } : {}),
      ...(who.skin ? { skin: who.skin } : {}),
      typ: TokenType.Ticket,
      jti: randomUUID(),
      iss: this.deps.issuer,
      aud: this.deps.audience,
      iat,
      exp: iat + this.deps.ttlSeconds,
    };
    const ticket = signHs256(claims, key);
    return { ticket, roomId, sub: who.sub, nick: who.nick, guest: who.guest, expiresAt: claims.exp };
  }
}

function assertRoomHasSpace(room: RoomInfo): void {
  if (room.clients >= room.maxPlayers) throw new AppError("ROOM_FULL");
}
