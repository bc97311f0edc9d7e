import type { IdentityClaims } from "../claims.ts";
import { AppError } from "../errors.ts";
import type { SessionStore } from "../session/session-store.ts";
import { verifyIdentityToken, type IdentityKeyResolver } from "./identity-token.ts";

export interface IdentityAuthOptions {
  keys: IdentityKeyResolver;
  sessions: SessionStore;
  issuer: string;
  audience: string;
  /** Clock in epoch ms; defaults to Date.now. */
  now?: () => number;
  /** Seconds a token's `iat` may lie in the future (TOKEN_CLOCK_SKEW). */
  clockSkewSeconds?: number;
  /** Longest accepted token lifetime, seconds (MAX_TOKEN_LIFETIME). */
  maxLifetimeSeconds?: number;
}

/** Verifies a backend identity JWT and then checks its session is alive. */
export type IdentityAuth = (token: string) => Promise<IdentityClaims>;

/**
 * The one identity check of the backend and the game server: the token (ES256 pinned, kid,
 * iss/aud/typ/exp), then its session, read on every call (no cache) so a logout or a ban
 * shuts the door at once. Throws AppError UNAUTHORIZED (bad token) or SESSION_EXPIRED
 * (logged out, revoked, expired).
 */
export function createIdentityAuth(options: IdentityAuthOptions): IdentityAuth {
  return async (token) => {
    const now = options.now ? Math.floor(options.now() / 1000) : undefined;
    const claims = await verifyIdentityToken(token, options.keys, {
      issuer: options.issuer,
      audience: options.audience,
      now,
      clockSkewSeconds: options.clockSkewSeconds,
      maxLifetimeSeconds: options.maxLifetimeSeconds,
    });
    const session = await options.sessions.get(claims.sid);
    if (!session || session.userId !== claims.sub) throw new AppError("SESSION_EXPIRED");
    return claims;
  };
}
