import { createPrivateKey } from "node:crypto";
import { SERVICE_TOKEN, signServiceToken } from "@arena/shared/contracts/service-token";

/**
 * Returns a function giving a valid service JWT (see shared/src/contracts/service-token.ts),
 * re-signed when less than {@link SERVICE_TOKEN.renewBeforeSeconds} of validity is left.
 * The key object is built once.
 */
export function createServiceTokenSigner(privateKeyPem: string, now: () => number = Date.now): () => string {
  const key = createPrivateKey(privateKeyPem);
  let cached: { token: string; exp: number } | null = null;
  return () => {
    const iat = Math.floor(now() / 1000);
    if (cached && cached.exp - iat > SERVICE_TOKEN.renewBeforeSeconds) return cached.token;
    const { token, claims } = signServiceToken(key, { now: iat });
    cached = { token, exp: claims.exp };
    return token;
  };
}
