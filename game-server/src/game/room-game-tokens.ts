import { createCipheriv, createHmac, createSecretKey, randomBytes, timingSafeEqual, type Cipher, type KeyObject } from "node:crypto";
import { TokenKind, type GameTokens, type TokenClaims } from "@arena/shared/rules/game-tokens";

const KIND_CODES: TokenKind[] = [TokenKind.Start, TokenKind.End, TokenKind.Point];
const SID_BYTES = 16;
const BODY_BYTES = SID_BYTES + 1 + 2;
const MAC_BYTES = 12;
const TOKEN_CHARS = Math.ceil(((BODY_BYTES + MAC_BYTES) * 4) / 3);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Domain separation of the per-session key derivation. */
const SESSION_KEY_LABEL = Buffer.from("arena game token session key\0");

/** A session this room issued tokens for: its player, its id's bytes, and the MAC under its own key. */
interface KnownSession {
  player: string;
  sidBytes: Buffer;
  /** AES-128 (one block, ECB) under the session key: a pseudorandom permutation of (kind, index) blocks. */
  mac: Cipher;
}

/**
 * Game tokens under a per-room random key that never leaves the process (never in synced state,
 * never sent). A token is 42 characters: `base64url(sid 16 bytes ‖ kind 1 byte ‖ n 2 bytes ‖ mac 12
 * bytes)`. Each (session, player) gets its own key, HMAC-SHA256(roomKey, label ‖ sid ‖ player)
 * truncated to 128 bits, derived when its first token is issued; the MAC of a token is AES-128 of the
 * block (kind ‖ n ‖ zeros) under that key, truncated. So a token of another room, session, player,
 * kind or index cannot be made (docs/game.md). One cipher per session is kept, so a point token costs
 * one block encryption rather than an HMAC set-up. Compact on purpose: a full game's submission
 * carries every point token in one message. Session ids must be uuids; tokens of sessions this room
 * never issued do not open.
 */
export function createRoomGameTokens(key: Buffer = randomBytes(32)): GameTokens {
  const secret: KeyObject = createSecretKey(key);
  const sessions = new Map<string, KnownSession>();
  const block = Buffer.alloc(16);
  /** The MAC of the token's kind and index, written into `token[BODY_BYTES, …)`. */
  const sign = (token: Buffer, session: KnownSession) => {
    block[0] = token[SID_BYTES];
    block[1] = token[SID_BYTES + 1];
    block[2] = token[SID_BYTES + 2];
    session.mac.update(block).copy(token, BODY_BYTES, 0, MAC_BYTES);
  };
  const known = (sid: string, player: string): KnownSession => {
    const seen = sessions.get(sid);
    if (seen && seen.player === player) return seen;
    if (!UUID.test(sid)) throw new Error("game session ids must be uuids");
    const sidBytes = seen?.sidBytes ?? Buffer.from(sid.replaceAll("-", ""), "hex");
    const sessionKey = createHmac("sha256", secret).update(SESSION_KEY_LABEL).update(sidBytes).update(player).digest().subarray(0, 16);
    const mac = createCipheriv("aes-128-ecb", sessionKey, null).setAutoPadding(false);
    const session = { player, sidBytes, mac };
    sessions.set(sid, session);
    return session;
  };
  return {
    issue(claims: TokenClaims): string {
      if (!Number.isInteger(claims.n) || claims.n < 0 || claims.n > 0xffff) throw new Error("token index out of range");
      const session = known(claims.sid, claims.player);
      const token = Buffer.allocUnsafe(BODY_BYTES + MAC_BYTES);
      session.sidBytes.copy(token, 0);
      token[SID_BYTES] = KIND_CODES.indexOf(claims.kind);
      token.writeUInt16BE(claims.n, SID_BYTES + 1);
      sign(token, session);
      return token.toString("base64url");
    },
    open(token: string): TokenClaims | null {
      if (typeof token !== "string" || token.length !== TOKEN_CHARS) return null;
      const raw = Buffer.from(token, "base64url");
      if (raw.length !== BODY_BYTES + MAC_BYTES || raw.toString("base64url") !== token) return null;
      const hex = raw.toString("hex", 0, SID_BYTES);
      const sid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      const session = sessions.get(sid);
      const kind = KIND_CODES[raw[SID_BYTES]];
      if (session === undefined || kind === undefined) return null;
      const expected = Buffer.from(raw);
      sign(expected, session);
      if (!timingSafeEqual(raw.subarray(BODY_BYTES), expected.subarray(BODY_BYTES))) return null;
      return { sid, player: session.player, kind, n: raw.readUInt16BE(SID_BYTES + 1) };
    },
  };
}
