import type { RequestHandler, Request } from "express";
import { AppError, type IdentityClaims, type SessionStore } from "@arena/shared";
import { createIdentityAuth } from "@arena/shared/tokens/identity-auth";
import type { BackendConfig } from "../config.ts";
import type { IdentityKeyStore } from "../keys/identity-key-store.ts";

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
  config: Pick<BackendConfig, "JWT_ISSUER" | "JWT_AUDIENCE" | "TOKEN_CLOCK_SKEW" | "MAX_TOKEN_LIFETIME">;
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
  const authenticate = createIdentityAuth({
    keys: (kid) => keys.resolve(kid),
    sessions,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    now,
    clockSkewSeconds: config.TOKEN_CLOCK_SKEW,
    maxLifetimeSeconds: config.MAX_TOKEN_LIFETIME,
  });

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
