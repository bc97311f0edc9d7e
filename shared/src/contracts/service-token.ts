import type { KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import { SERVICE_ALG, TokenType, type ServiceClaims } from "../claims.ts";
import { AppError } from "../errors.ts";
import { tokenTimeProblem } from "../tokens/token-times.ts";

/**
 * The game server's credential towards the backend's internal routes: an ES256 JWT signed with
 * the game server's own key (SERVICE_PRIVATE_KEY), verified by the backend with the matching
 * public key (SERVICE_PUBLIC_KEY). Both sides read these values, so they cannot disagree.
 */
export const SERVICE_TOKEN = {
  /** `kid` header: the one key the backend accepts a service token under. */
  kid: "game-server",
  /** `sub` claim: the game server. */
  sub: "game-server",
  /** `iss` claim. */
  issuer: "arena-game-server",
  /** `aud` claim. */
  audience: "arena-backend",
  /** Lifetime the signer gives a token; the verifier refuses any with `exp - iat` above it. */
  maxTtlSeconds: 300,
  /**
   * The signer re-signs when less than this is left, so a token in flight is never about to
   * expire, and a backend clock up to this far ahead of the game server's still accepts it.
   */
  renewBeforeSeconds: 60,
} as const;

/** The deployment's token time limits (config TOKEN_CLOCK_SKEW and MAX_TOKEN_LIFETIME, shared by both apps). */
export interface ServiceTokenLimits {
  /** Seconds an `iat` may lie in the future: a backend clock may run this far behind the game server's. */
  clockSkewSeconds: number;
  /** Longest `exp - iat` accepted; the verifier also never accepts more than {@link SERVICE_TOKEN.maxTtlSeconds}. */
  maxLifetimeSeconds: number;
}

export interface ServiceTokenOptions {
  /** Seconds since the epoch; defaults to now. */
  now?: number;
}

/** Signs a service JWT (ES256, kid "game-server") valid for {@link SERVICE_TOKEN.maxTtlSeconds}. */
export function signServiceToken(privateKey: KeyObject, options: ServiceTokenOptions = {}): { token: string; claims: ServiceClaims } {
  const iat = options.now ?? Math.floor(Date.now() / 1000);
  const claims: ServiceClaims = {
    sub: SERVICE_TOKEN.sub,
    typ: TokenType.Service,
    iss: SERVICE_TOKEN.issuer,
    aud: SERVICE_TOKEN.audience,
    iat,
    exp: iat + SERVICE_TOKEN.maxTtlSeconds,
  };
  return { token: jwt.sign(claims, privateKey, { algorithm: SERVICE_ALG, keyid: SERVICE_TOKEN.kid }), claims };
}

/**
 * Verifies a service JWT: ES256 only, kid "game-server", signature, `iss`, `aud`, `exp`,
 * `typ: "service"` (identity tokens and tickets are refused), `sub` "game-server", `iat` not
 * further in the future than the clock skew, and a lifetime of at most
 * {@link SERVICE_TOKEN.maxTtlSeconds} (and the deployment's maximum). Throws
 * `AppError("UNAUTHORIZED")` with a reason otherwise.
 */
export function verifyServiceToken(token: string, publicKey: KeyObject, options: ServiceTokenOptions & ServiceTokenLimits): ServiceClaims {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === "string" || decoded.header.alg !== SERVICE_ALG || decoded.header.kid !== SERVICE_TOKEN.kid) {
    throw new AppError("UNAUTHORIZED", "Not a service credential.");
  }
  let claims: jwt.JwtPayload;
  try {
    claims = jwt.verify(token, publicKey, {
      algorithms: [SERVICE_ALG],
      issuer: SERVICE_TOKEN.issuer,
      audience: SERVICE_TOKEN.audience,
      clockTimestamp: now,
    }) as jwt.JwtPayload;
  } catch {
    throw new AppError("UNAUTHORIZED", "Invalid service credential.");
  }
  if (claims.typ !== TokenType.Service || claims.sub !== SERVICE_TOKEN.sub) throw new AppError("UNAUTHORIZED", "Not a service credential.");
  const problem = tokenTimeProblem(claims, {
    now,
    clockSkewSeconds: options.clockSkewSeconds,
    maxLifetimeSeconds: Math.min(SERVICE_TOKEN.maxTtlSeconds, options.maxLifetimeSeconds),
  });
  if (problem) throw new AppError("UNAUTHORIZED", `Invalid service credential: ${problem}.`);
  return claims as ServiceClaims;
}
