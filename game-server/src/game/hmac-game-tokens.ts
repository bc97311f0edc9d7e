import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from "node:crypto";
import { TokenKind, type GameTokens, type TokenClaims } from "@arena/shared/rules/game-tokens";

const KIND_CODES: TokenKind[] = [TokenKind.Start, TokenKind.End, TokenKind.Point];
const SID_BYTES = 16;
const BODY_BYTES = SID_BYTES + 1 + 2;
const MAC_BYTES = 12;
const TOKEN_CHARS = Math.ceil(((BODY_BYTES + MAC_BYTES) * 4) / 3);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Game tokens signed with HMAC-SHA256 under a per-room random key that never leaves the
 * process (never in synced state, never sent). A token is 42 characters:
 * `base64url(sid 16 bytes ‖ kind 1 byte ‖ n 2 bytes ‖ mac 12 bytes)` where the MAC covers the
 * body and the player, so a token of another room, session, player, kind or index cannot be
 * made. Compact on purpose: a full game's submission carries every point token in one message.
 * Session ids must be uuids; the player of each session is remembered when its first token is
 * issued (tokens of sessions this room never issued do not open).
 */
export function createHmacGameTokens(key: Buffer = randomBytes(32)): GameTokens {
  const secret: KeyObject = createSecretKey(key);
  const players = new Map<string, string>();
  const mac = (body: Buffer, player: string) => createHmac("sha256", secret).update(body).update(player).digest().subarray(0, MAC_BYTES);
  return {
    issue(claims: TokenClaims): string {
      if (!UUID.test(claims.sid)) throw new Error("game session ids must be uuids");
      if (!Number.isInteger(claims.n) || claims.n < 0 || claims.n > 0xffff) throw new Error("token index out of range");
      players.set(claims.sid, claims.player);
      const body = Buffer.alloc(BODY_BYTES);
      Buffer.from(claims.sid.replaceAll("-", ""), "hex").copy(body, 0);
      body.writeUInt8(KIND_CODES.indexOf(claims.kind), SID_BYTES);
      body.writeUInt16BE(claims.n, SID_BYTES + 1);
      return Buffer.concat([body, mac(body, claims.player)]).toString("base64url");
    },
    open(token: string): TokenClaims | null {
      if (typeof token !== "string" || token.length !== TOKEN_CHARS) return null;
      const raw = Buffer.from(token, "base64url");
      if (raw.length !== BODY_BYTES + MAC_BYTES || raw.toString("base64url") !== token) return null;
      const body = raw.subarray(0, BODY_BYTES);
      const hex = body.subarray(0, SID_BYTES).toString("hex");
      const sid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      const player = players.get(sid);
      const kind = KIND_CODES[body.readUInt8(SID_BYTES)];
      if (player === undefined || kind === undefined) return null;
      if (!timingSafeEqual(raw.subarray(BODY_BYTES), mac(body, player))) return null;
      return { sid, player, kind, n: body.readUInt16BE(SID_BYTES + 1) };
    },
  };
}
