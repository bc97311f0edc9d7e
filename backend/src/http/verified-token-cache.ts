import type { IdentityClaims } from "@arena/shared";

interface Entry {
  claims: Readonly<IdentityClaims>;
  /** The signing key's id, checked again on every hit: a key dropped from the key store ends its tokens. */
  kid: string;
}

/**
 * Identity tokens whose signature, issuer, audience and times were verified, with their claims:
 * an ES256 verify costs far more than the rest of a score request. An entry lives until its
 * token's `exp` (checked on every hit against the caller's clock) and at most `maxEntries`
 * entries are kept, least recently used dropped first. Only the token check is cached: the
 * session is still looked up on every request, so a logout, revocation or ban still shuts the
 * door at once.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries: number) {}

  /** Entries held now. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The claims of a verified token still valid at `nowSeconds` whose key `keyKnown` still
   * knows, or undefined (and the entry is dropped).
   */
  get(token: string, nowSeconds: number, keyKnown: (kid: string) => boolean): Readonly<IdentityClaims> | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (nowSeconds >= entry.claims.exp || !keyKnown(entry.kid)) return undefined;
    this.entries.set(token, entry);
    return entry.claims;
  }

  /** Remembers a token that just passed verification; returns its claims, frozen (they are shared between requests). */
  put(token: string, claims: IdentityClaims): Readonly<IdentityClaims> {
    const frozen = Object.freeze({ ...claims });
    if (this.maxEntries <= 0) return frozen;
    const kid = kidOf(token);
    if (kid === undefined) return frozen;
    this.entries.delete(token);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { claims: frozen, kid });
    return frozen;
  }
}

/** The `kid` of a JWT's header (already verified by the caller), or undefined. */
function kidOf(token: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, token.indexOf(".")), "base64url").toString("utf8")) as { kid?: unknown };
    return typeof header.kid === "string" ? header.kid : undefined;
  } catch {
    return undefined;
  }
}
