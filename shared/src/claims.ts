/** JWT `typ` claims. Each verifier accepts exactly one, so tokens are never interchangeable. */
export const TokenType = {
  /** Backend-signed (ES256, private key), proves who the user is. */
  Identity: "identity",
  /** Game-server-signed (HS256, the room's own key), admits one identity to one room. */
  Ticket: "ticket",
  /** Game-server-signed (ES256, its own key), authenticates the game server to the backend. */
  Service: "service",
} as const;
export type TokenType = (typeof TokenType)[keyof typeof TokenType];

export const IDENTITY_ALG = "ES256" as const;
export const TICKET_ALG = "HS256" as const;
export const SERVICE_ALG = "ES256" as const;

/** Claims of the backend's identity JWT. */
export interface IdentityClaims {
  /** User id (decimal string). */
  sub: string;
  /** Display name (the normalised username). */
  nick: string;
  /** Session id: the token is only good while this session lives. */
  sid: string;
  /** "player" | "admin" */
  role: "player" | "admin";
  /** The equipped skin id (tokens issued before skins existed lack it: read it as the default skin). */
  skin?: string;
  iss: string;
  aud: string;
  typ: typeof TokenType.Identity;
  iat: number;
  exp: number;
}

/** Claims of a room ticket. */
export interface TicketClaims {
  /** User id, or `guest:<nick>#<random>` for guests. */
  sub: string;
  nick: string;
  roomId: string;
  guest: boolean;
  /** Session id of the identity the ticket was issued for (absent for guests). */
  sid?: string;
  /** The holder's equipped skin id, copied from the identity JWT (guests: the default skin). */
  skin?: string;
  typ: typeof TokenType.Ticket;
  /** Unique ticket id: one connected holder at a time. */
  jti: string;
  iss: string;
  aud: string;
  iat: number;
  exp: number;
}

/** Claims of the game server's service credential presented to the backend. */
export interface ServiceClaims {
  sub: string;
  typ: typeof TokenType.Service;
  iss: string;
  aud: string;
  iat: number;
  exp: number;
}
