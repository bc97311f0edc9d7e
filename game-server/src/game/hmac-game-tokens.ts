import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from "node:crypto";
import { TokenKind, type GameTokens, type TokenClaims } from "@arena/shared/rules/game-tokens";

const KINDS = new Set<string>(Object.values(TokenKind));
const MAC_BYTES = 16;

/**
 * Game tokens signed with HMAC-SHA256 under a per-room random key that never leaves
 * the process (never in synced state, never sent). A token is
 * `base64url(sid|player|kind|n).base64url(mac)`: the claims are readable but bound by
 * the MAC, so a token of another room, session, player or kind cannot be made.
 */
export function createHmacGameTokens(key: Buffer = randomBytes(32)): GameTokens {
  const secret: KeyObject = createSecretKey(key);
  const mac = (body: string) => createHmac("sha256", secret).update(body).digest().subarray(0, MAC_BYTES);
  return {
    issue(claims: TokenClaims): string {
      const body = Buffer.from(JSON.stringify([claims.sid, claims.player, claims.kind, claims.n])).toString("base64url");
      return `${body}.${mac(body).toString("base64url")}`;
    },
    open(token: string): TokenClaims | null {
      if (typeof token !== "string" || token.length > 512) return null;
      const dot = token.indexOf(".");
      if (dot <= 0) return null;
      const body = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1), "base64url");
      if (given.length !== MAC_BYTES || !timingSafeEqual(given, mac(body))) return null;
      try {
        const [sid, player, kind, n] = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
        if (typeof sid !== "string" || typeof player !== "string" || !KINDS.has(kind) || !Number.isInteger(n)) return null;
        return { sid, player, kind, n };
      } catch {
        return null;
      }
    },
  };
}
