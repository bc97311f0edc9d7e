import { createPublicKey, type KeyObject } from "node:crypto";
import type { RequestHandler } from "express";
import { AppError } from "@arena/shared";
import { verifyServiceToken, type ServiceTokenLimits } from "@arena/shared/contracts/service-token";
import type { BackendConfig } from "../config.ts";

/** The service credential's time limits from config (TOKEN_CLOCK_SKEW, MAX_TOKEN_LIFETIME). */
export function serviceTokenLimits(config: Pick<BackendConfig, "TOKEN_CLOCK_SKEW" | "MAX_TOKEN_LIFETIME">): ServiceTokenLimits {
  return { clockSkewSeconds: config.TOKEN_CLOCK_SKEW, maxLifetimeSeconds: config.MAX_TOKEN_LIFETIME };
}

/** The refusals every service route documents (OpenAPI responses). */
export const SERVICE_REFUSALS = {
  401: { description: "UNAUTHORIZED: not a valid service credential." },
  503: { description: "SERVICE_UNAVAILABLE: internal routes disabled (no SERVICE_PUBLIC_KEY)." },
} as const;

/**
 * Verifies the game server's service JWT on every internal route (the rules are
 * shared/src/contracts/service-token.ts `verifyServiceToken`, with the deployment's token time
 * limits). Answers 503 SERVICE_UNAVAILABLE when no SERVICE_PUBLIC_KEY is configured.
 */
export function requireService(publicKeyPem: string | undefined, now: () => number, limits: ServiceTokenLimits): RequestHandler {
  const key: KeyObject | undefined = publicKeyPem ? createPublicKey(publicKeyPem) : undefined;
  return (req, _res, next) => {
    if (!key) throw new AppError("SERVICE_UNAVAILABLE", "Internal routes are disabled (no SERVICE_PUBLIC_KEY).");
    const match = /^Bearer (\S{1,4096})$/.exec(req.headers.authorization?.trim() ?? "");
    if (!match) throw new AppError("UNAUTHORIZED");
    verifyServiceToken(match[1], key, { now: Math.floor(now() / 1000), ...limits });
    next();
  };
}
