import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import type { IdentityKeyResolver } from "@arena/shared/tokens/identity-token";
import type { Logger } from "pino";

/** A resolver that answers the one configured PEM public key for every `kid`. */
export function pemKeyResolver(pem: string): IdentityKeyResolver {
  const key = createPublicKey(pem);
  return () => key;
}

export interface JwksResolverOptions {
  /** The backend's JWKS URL. */
  url: string;
  /** Minimum milliseconds between two fetches caused by an unknown `kid`. */
  refetchIntervalMs: number;
  log: Logger;
  /** Injectable for tests. */
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

/**
 * Resolves identity public keys from the backend's JWKS: keys cached by `kid`, the set
 * refetched when an unknown `kid` shows up (key rotation) but at most once per
 * `refetchIntervalMs`, so a flood of forged kids cannot hammer the backend.
 */
export function jwksKeyResolver(options: JwksResolverOptions): IdentityKeyResolver {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  let keys = new Map<string, KeyObject>();
  let lastFetch = -Infinity;
  let pending: Promise<void> | undefined;

  async function refetch(): Promise<void> {
    lastFetch = now();
    try {
      const response = await fetchFn(options.url, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { keys?: Array<JsonWebKey & { kid?: string }> };
      const fresh = new Map<string, KeyObject>();
      for (const jwk of body.keys ?? []) {
        if (!jwk.kid || jwk.kty !== "EC") continue;
        try {
          fresh.set(jwk.kid, createPublicKey({ key: jwk, format: "jwk" }));
        } catch {
          options.log.warn({ kid: jwk.kid }, "jwks: unusable key skipped");
        }
      }
      keys = fresh;
    } catch (err) {
      options.log.warn({ err: (err as Error).message, url: options.url }, "jwks: fetch failed");
    }
  }

  return async (kid) => {
    const known = keys.get(kid);
    if (known) return known;
    if (!pending && now() - lastFetch >= options.refetchIntervalMs) {
      pending = refetch().finally(() => (pending = undefined));
    }
    if (pending) await pending;
    return keys.get(kid);
  };
}
