import { createPublicKey, type KeyObject } from "node:crypto";
import type { RequestHandler } from "express";
import jwt from "jsonwebtoken";
import { AppError, SERVICE_ALG, TokenType } from "@arena/shared";
import { tokenTimeProblem } from "@arena/shared/tokens/token-times";
import type { BackendConfig } from "../config.ts";

/** The service credential's time limits from config (TOKEN_CLOCK_SKEW, MAX_TOKEN_LIFETIME). */
export function serviceTokenLimits(config: Pick<BackendConfig, "TOKEN_CLOCK_SKEW" | "MAX_TOKEN_LIFETIME">) {
  return { clockSkewSeconds: config.TOKEN_CLOCK_SKEW, maxLifetimeSeconds: config.MAX_TOKEN_LIFETIME };
}

/** The game server's credential, as contracts.md fixes it. */
export const SERVICE_TOKEN = { kid: "game-server", sub: "game-server", issuer: "arena-game-server", audience: "arena-backend", maxTtl: 300 } as const;

/** The refusals every service route documents (OpenAPI responses). */
export const SERVICE_REFUSALS = {
  401: { description: "UNAUTHORIZED: not a valid service credential." },
  503: { description: "SERVICE_UNAVAILABLE: internal routes disabled (no SERVICE_PUBLIC_KEY)." },
} as const;

/**
 * Verifies the game server's service JWT: ES256 only, kid "game-server", iss/aud/exp, typ
 * "service" (identity tokens and tickets are refused), lifetime ≤ 300 s (and ≤ MAX_TOKEN_LIFETIME),
 * `iat` not in the future beyond TOKEN_CLOCK_SKEW. Answers 503 SERVICE_UNAVAILABLE when no
 * SERVICE_PUBLIC_KEY is configured.
 */
export function requireService(publicKeyPem: string | undefined, now: () => number, limits: { clockSkewSeconds: number; maxLifetimeSeconds: number }): RequestHandler {
  const key: KeyObject | undefined = publicKeyPem ? createPublicKey(publicKeyPem) : undefined;
  return (req, _res, next) => {
    if (!key) throw new AppError("SERVICE_UNAVAILABLE", "Internal routes are disabled (no SERVICE_PUBLIC_KEY).");
    const match = /^Bearer (\S{1,4096})$/.exec(req.headers.authorization?.trim() ?? "");
    if (!match) throw new AppError("UNAUTHORIZED");
    const decoded = jwt.decode(match[1], { complete: true });
    if (!decoded || typeof decoded.payload === "string" || decoded.header.alg !== SERVICE_ALG || decoded.header.kid !== SERVICE_TOKEN.kid) {
      throw new AppError("UNAUTHORIZED", "Not a service credential.");
    }
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(match[1], key, {
        algorithms: [SERVICE_ALG],
        issuer: SERVICE_TOKEN.issuer,
        audience: SERVICE_TOKEN.audience,
        clockTimestamp: Math.floor(now() / 1000),
      }) as jwt.JwtPayload;
    } catch {
      throw new AppError("UNAUTHORIZED", "Invalid service credential.");
    }
    if (claims.typ !== TokenType.Service || claims.sub !== SERVICE_TOKEN.sub) throw new AppError("UNAUTHORIZED", "Not a service credential.");
    const problem = tokenTimeProblem(claims, {
      now: Math.floor(now() / 1000),
      clockSkewSeconds: limits.clockSkewSeconds,
      maxLifetimeSeconds: Math.min(SERVICE_TOKEN.maxTtl, limits.maxLifetimeSeconds),
    });
    if (problem) throw new AppError("UNAUTHORIZED", `Invalid service credential: ${problem}.`);
    next();
  };
}
