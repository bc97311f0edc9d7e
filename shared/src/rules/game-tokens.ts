/** What a game token stands for. */
export const TokenKind = {
  Start: "start",
  End: "end",
  Point: "point",
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** The facts a game token is bound to. */
export interface TokenClaims {
  /** Game session id. */
  sid: string;
  /** Player (ticket `sub`). */
  player: string;
  kind: TokenKind;
  /** Sequence number: point index; 0 for start and end tokens. */
  n: number;
}

/**
 * Mints and opens unforgeable tokens. The rules only need this interface; the game
 * server implements it with HMAC-SHA256 and a per-room random key (game-server/src/game).
 */
export interface GameTokens {
  /** A token bound to the claims that nobody without the key can produce. */
  issue(claims: TokenClaims): string;
  /** The claims of a genuine token, or null if it is malformed or was not issued with this key. */
  open(token: string): TokenClaims | null;
}
