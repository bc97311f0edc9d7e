import type { RequestHandler, Request } from "express";
import { AppError, type IdentityClaims, type SessionStore } from "@arena/shared";
import { verifyIdentityToken } from "@arena/shared/tokens/identity-token";
import type { BackendConfig } from "../config.ts";
import type { IdentityKeyStore } from "../keys/identity-key-store.ts";
import { VerifiedTokenCache } from "./verified-token-cache.ts";

/** The middlewares every component uses to authenticate requests (`ctx.auth`). */
export interface AuthMiddlewares {
  /**
   * Requires `Authorization: Bearer <identity JWT>` signed by this backend (ES256, known
   * kid, iss/aud/typ/exp checked) whose session is alive in the SessionStore. Sets
   * `res.locals.identity: IdentityClaims`; else 401 UNAUTHORIZED / SESSION_EXPIRED.
   */
  requireIdentity: RequestHandler;
  /** Like requireIdentity when an Authorization header is present; passes through without one. */
  optionalIdentity: RequestHandler;
  /** requireIdentity, then role "admin" (else 403 FORBIDDEN). */
  requireAdmin: RequestHandler;
  /** The same check as a function: the claims of a live session's token, or throws AppError. */
  authenticate(token: string): Promise<IdentityClaims>;
}

export interface AuthMiddlewareOptions {
  /** IDENTITY_CACHE_SIZE absent = no cache (verify every time). */
  config: Pick<BackendConfig, "JWT_ISSUER" | "JWT_AUDIENCE" | "TOKEN_CLOCK_SKEW" | "MAX_TOKEN_LIFETIME"> & Partial<Pick<BackendConfig, "IDENTITY_CACHE_SIZE">>;
  keys: IdentityKeyStore;
  sessions: SessionStore;
  now: () => number;
}

/** The bearer token of a request, or undefined when there is no Authorization header. */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer ([A-Za-z0-9_\-.=+/]{1,4096})$/.exec(header.trim());
  if (!match) throw new AppError("UNAUTHORIZED", "The Authorization header must be 'Bearer <token>'.");
  return match[1];
}

export function createAuthMiddlewares({ config, keys, sessions, now }: AuthMiddlewareOptions): AuthMiddlewares {
  const verified = new VerifiedTokenCache(config.IDENTITY_CACHE_SIZE ?? 0);
  const keyKnown = (kid: string) => keys.resolve(kid) !== undefined;

  /**
   * The token (ES256 pinned, known kid, iss/aud/typ/exp, iat within the skew and lifetime),
   * verified once and then remembered until its exp (VerifiedTokenCache), and its session, read
   * on every call so a logout or a ban shuts the door at once. Throws UNAUTHORIZED (bad token)
   * or SESSION_EXPIRED (logged out, revoked, expired).
   */
  async function authenticate(token: string): Promise<IdentityClaims> {
    const nowMs = now();
    const nowSeconds = Math.floor(nowMs / 1000);
    let claims = verified.get(token, nowSeconds, keyKnown);
    if (!claims) {
      const fresh = await verifyIdentityToken(token, (kid) => keys.resolve(kid), {
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        now: nowSeconds,
        clockSkewSeconds: config.TOKEN_CLOCK_SKEW,
        maxLifetimeSeconds: config.MAX_TOKEN_LIFETIME,
      });
      claims = verified.put(token, fresh);
    }
    const session = await sessions.get(claims.sid);
    if (!session || session.userId !== claims.sub) throw new AppError("SESSION_EXPIRED");
    return claims;
  }

  const requireIdentity: RequestHandler = async (req, res, next) => {
    const token = bearerToken(req);
    if (!token) throw new AppError("UNAUTHORIZED");
    res.locals.identity = await authenticate(token);
    next();
  };

  const optionalIdentity: RequestHandler = async (req, res, next) => {
    const token = bearerToken(req);
    if (token) res.locals.identity = await authenticate(token);
    next();
  };

  const requireAdmin: RequestHandler = async (req, res, next) => {
    const token = bearerToken(req);
    if (!token) throw new AppError("UNAUTHORIZED");
    const claims = await authenticate(token);
    if (claims.role !== "admin") throw new AppError("FORBIDDEN");
    res.locals.identity = claims;
    next();
  };

  return { requireIdentity, optionalIdentity, requireAdmin, authenticate };
}
