/** The claims the page reads from its own access JWT (unverified: display and refresh timing only). */
export interface PageClaims {
  sub?: string;
  nick?: string;
  exp?: number;
  /** The equipped skin id (absent: the default). */
  skin?: string;
}

/** Decodes a JWT's payload without verifying it; {} when it is not a JWT. */
export function readJwtClaims(token: string): PageClaims {
  const payload = token.split(".")[1];
  if (!payload) return {};
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
    return {
      sub: typeof claims.sub === "string" ? claims.sub : undefined,
      nick: typeof claims.nick === "string" ? claims.nick : undefined,
      exp: typeof claims.exp === "number" ? claims.exp : undefined,
      skin: typeof claims.skin === "string" ? claims.skin : undefined,
    };
  } catch {
    return {};
  }
}
