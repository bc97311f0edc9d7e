import { createPrivateKey, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import { SERVICE_ALG, TokenType, type ServiceClaims } from "@arena/shared";

/** Fixed values of the service credential (contracts.md "Game server → backend"). */
export const SERVICE_TOKEN = {
  kid: "game-server",
  sub: "game-server",
  issuer: "arena-game-server",
  audience: "arena-backend",
  ttlSeconds: 300,
} as const;

/**
 * Returns a function giving a valid service JWT (ES256, kid "game-server"), re-signed
 * when less than a minute of validity is left. The key object is built once.
 */
export function createServiceTokenSigner(privateKeyPem: string, now: () => number = Date.now): () => string {
  const key: KeyObject = createPrivateKey(privateKeyPem);
  let cached: { token: string; exp: number } | null = null;
  return () => {
    const iat = Math.floor(now() / 1000);
    if (cached && cached.exp - iat > 60) return cached.token;
    const claims: ServiceClaims = {
      sub: SERVICE_TOKEN.sub,
      typ: TokenType.Service,
      iss: SERVICE_TOKEN.issuer,
      aud: SERVICE_TOKEN.audience,
      iat,
      exp: iat + SERVICE_TOKEN.ttlSeconds,
    };
    cached = { token: jwt.sign(claims, key, { algorithm: SERVICE_ALG, keyid: SERVICE_TOKEN.kid }), exp: claims.exp };
    return cached.token;
  };
}
