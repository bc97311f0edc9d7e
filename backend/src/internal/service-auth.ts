import { createPublicKey, type KeyObject } from "node:crypto";
import type { RequestHandler } from "express";
import { AppError } from "@arena/shared";
import { verifyServiceToken } from "@arena/shared/contracts/service-token";

/** The refusals every service route documents (OpenAPI responses). */
export const SERVICE_REFUSALS = {
  401: { description: "UNAUTHORIZED: not a valid service credential." },
  503: { description: "SERVICE_UNAVAILABLE: internal routes disabled (no SERVICE_PUBLIC_KEY)." },
} as const;

/**
 * Verifies the game server's service JWT on every internal route (the rules are
 * shared/src/contracts/service-token.ts `verifyServiceToken`). Answers 503
 * SERVICE_UNAVAILABLE when no SERVICE_PUBLIC_KEY is configured.
 */
export function requireService(publicKeyPem: string | undefined, now: () => number): RequestHandler {
  const key: KeyObject | undefined = publicKeyPem ? createPublicKey(publicKeyPem) : undefined;
  return (req, _res, next) => {
    if (!key) throw new AppError("SERVICE_UNAVAILABLE", "Internal routes are disabled (no SERVICE_PUBLIC_KEY).");
    const match = /^Bearer (\S{1,4096})$/.exec(req.headers.authorization?.trim() ?? "");
    if (!match) throw new AppError("UNAUTHORIZED");
    verifyServiceToken(match[1], key, { now: Math.floor(now() / 1000) });
    next();
  };
}
