import type { KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import { SERVICE_ALG, TokenType, type ServiceClaims } from "../claims.ts";
import { AppError } from "../errors.ts";

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
  /** The signer re-signs when less than this is left, so a token in flight is never about to expire. */
  renewBeforeSeconds: 60,
  /**
   * Seconds the verifier tolerates past `exp`. None: the renewal margin above already lets a
   * backend clock run up to a minute ahead of the game server's.
   */
  clockSkewSeconds: 0,
} as const;

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
 * `typ: "service"` (identity tokens and tickets are refused), `sub` "game-server" and a
 * lifetime of at most {@link SERVICE_TOKEN.maxTtlSeconds}. Throws `AppError("UNAUTHORIZED")`
 * with a reason otherwise.
 */
export function verifyServiceToken(token: string, publicKey: KeyObject, options: ServiceTokenOptions = {}): ServiceClaims {
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
      clockTimestamp: options.now ?? Math.floor(Date.now() / 1000),
      clockTolerance: SERVICE_TOKEN.clockSkewSeconds,
    }) as jwt.JwtPayload;
  } catch {
    throw new AppError("UNAUTHORIZED", "Invalid service credential.");
  }
  if (claims.typ !== TokenType.Service || claims.sub !== SERVICE_TOKEN.sub) throw new AppError("UNAUTHORIZED", "Not a service credential.");
  if (typeof claims.iat !== "number" || typeof claims.exp !== "number" || claims.exp - claims.iat > SERVICE_TOKEN.maxTtlSeconds) {
    throw new AppError("UNAUTHORIZED", "Service credential lifetime too long.");
  }
  return claims as ServiceClaims;
}
