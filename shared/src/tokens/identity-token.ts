import type { KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import { z } from "zod";
import { IDENTITY_ALG, TokenType, type IdentityClaims } from "../claims.ts";
import { AppError } from "../errors.ts";
import { skinIdSchema } from "../progression/skins.ts";
import { tokenTimeProblem } from "./token-times.ts";

/** Resolves a backend public key by `kid` (from config, or a JWKS cache). */
export type IdentityKeyResolver = (kid: string) => KeyObject | undefined | Promise<KeyObject | undefined>;

export interface IdentityTokenOptions {
  issuer: string;
  audience: string;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
  /** Seconds an `iat` may lie in the future (default 30). */
  clockSkewSeconds?: number;
  /** Longest accepted `exp − iat`, seconds (default 3600). */
  maxLifetimeSeconds?: number;
}

/** Defaults of the identity token's time limits (MAX_TOKEN_LIFETIME, TOKEN_CLOCK_SKEW). */
export const TOKEN_TIME_DEFAULTS = { clockSkewSeconds: 30, maxLifetimeSeconds: 3600 } as const;

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

const claimsSchema = z.object({
  sub: z.string().min(1).max(64),
  nick: z.string().min(1).max(64),
  sid: z.string().min(16).max(64),
  role: z.enum(["player", "admin"]),
  skin: skinIdSchema.optional(),
  iss: z.string(),
  aud: z.string(),
  typ: z.literal(TokenType.Identity),
  iat: z.number().int(),
  exp: z.number().int(),
});

/** Signs an identity JWT (ES256, `kid` header) valid for `ttlSeconds`. */
export function signIdentityToken(
  subject: Pick<IdentityClaims, "sub" | "nick" | "sid" | "role" | "skin">,
  key: SigningKey,
  options: IdentityTokenOptions & { ttlSeconds: number },
): string {
  const iat = options.now ?? Math.floor(Date.now() / 1000);
  const claims: IdentityClaims = {
    sub: subject.sub,
    nick: subject.nick,
    sid: subject.sid,
    role: subject.role,
    ...(subject.skin === undefined ? {} : { skin: subject.skin }),
    iss: options.issuer,
    aud: options.audience,
    typ: TokenType.Identity,
    iat,
    exp: iat + options.ttlSeconds,
  };
  return jwt.sign(claims, key.privateKey, { algorithm: IDENTITY_ALG, keyid: key.kid });
}

/**
 * Verifies an identity JWT: algorithm pinned to ES256, `kid` resolved to a known key,
 * signature, `iss`, `aud`, `exp` and `typ: "identity"` all checked, and its `iat` neither in the
 * future beyond the clock skew nor further from `exp` than the longest lifetime. Throws
 * `AppError("UNAUTHORIZED")` with a reason otherwise. Session liveness is the caller's
 * job (a {@link SessionStore} lookup of `sid`).
 */
export async function verifyIdentityToken(
  token: string,
  resolveKey: IdentityKeyResolver,
  options: IdentityTokenOptions,
): Promise<IdentityClaims> {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === "string") throw unauthorized("malformed token");
  if (decoded.header.alg !== IDENTITY_ALG) throw unauthorized("unexpected algorithm");
  const kid = decoded.header.kid;
  if (!kid) throw unauthorized("missing kid");
  const key = await resolveKey(kid);
  if (!key) throw unauthorized("unknown kid");
  let payload: unknown;
  try {
    payload = jwt.verify(token, key, {
      algorithms: [IDENTITY_ALG],
      issuer: options.issuer,
      audience: options.audience,
      clockTimestamp: options.now,
    });
  } catch (err) {
    throw unauthorized(err instanceof jwt.TokenExpiredError ? "token expired" : "invalid token");
  }
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) throw unauthorized("not an identity token");
  const problem = tokenTimeProblem(parsed.data, {
    now: options.now ?? Math.floor(Date.now() / 1000),
    clockSkewSeconds: options.clockSkewSeconds ?? TOKEN_TIME_DEFAULTS.clockSkewSeconds,
    maxLifetimeSeconds: options.maxLifetimeSeconds ?? TOKEN_TIME_DEFAULTS.maxLifetimeSeconds,
  });
  if (problem) throw unauthorized(problem);
  return parsed.data as IdentityClaims;
}

function unauthorized(reason: string): AppError {
  return new AppError("UNAUTHORIZED", `Invalid identity token: ${reason}.`);
}
