import { AppError, type IdentityClaims, type SessionStore } from "@arena/shared";
import { verifyIdentityToken, type IdentityKeyResolver } from "@arena/shared/tokens/identity-token";

export interface IdentityAuthOptions {
  keys: IdentityKeyResolver;
  sessions: SessionStore;
  issuer: string;
  audience: string;
}

/** Verifies a backend identity JWT and then checks its session is alive. */
export type IdentityAuth = (token: string) => Promise<IdentityClaims>;

/**
 * The session is read on every call (no cache), so a logout or a ban shuts the door at once.
 * Throws AppError UNAUTHORIZED (bad token) or SESSION_EXPIRED (logged out, revoked, expired).
 */
export function createIdentityAuth(options: IdentityAuthOptions): IdentityAuth {
  return async (token) => {
    const claims = await verifyIdentityToken(token, options.keys, { issuer: options.issuer, audience: options.audience });
    const session = await options.sessions.get(claims.sid);
    if (!session || session.userId !== claims.sub) throw new AppError("SESSION_EXPIRED");
    return claims;
  };
}
