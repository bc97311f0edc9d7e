/** Limits on a token's own timestamps, beyond `exp` (which jsonwebtoken checks). */
export interface TokenTimeLimits {
  /** Now, epoch seconds. */
  now: number;
  /** Seconds an `iat` may lie in the future (clocks of two hosts differ a little). */
  clockSkewSeconds: number;
  /** Longest `exp − iat` accepted, seconds. */
  maxLifetimeSeconds: number;
}

/**
 * Why a token's `iat` / `exp` cannot be honest, or null: issued in the future beyond the skew (a
 * token minted ahead to outlive a key rotation or a revocation), or valid for longer than any
 * issuer here hands out (a forged or misconfigured long-lived credential).
 */
export function tokenTimeProblem(claims: { iat?: unknown; exp?: unknown }, limits: TokenTimeLimits): string | null {
  if (typeof claims.iat !== "number" || typeof claims.exp !== "number") return "iat and exp are required";
  if (claims.iat > limits.now + limits.clockSkewSeconds) return "issued in the future";
  if (claims.exp - claims.iat > limits.maxLifetimeSeconds) return "lifetime too long";
  return null;
}
