/**
 * The Redis key layout of both apps, written once. Every key starts with the deployment's
 * REDIS_KEY_PREFIX (default "arena:"), which both apps must configure alike: the game server
 * reads the sessions the backend writes. One function per key family; a store takes what its
 * family function returns and appends only the per-item part.
 *
 * | key (after the prefix)                    | family        | written by  | read by     |
 * |-------------------------------------------|---------------|-------------|-------------|
 * | `session:<sid>`                           | sessions      | backend     | both        |
 * | `presence:<identity>`                     | leases        | game server | game server |
 * | `roomkey:<roomId>`                        | leases        | game server | game server |
 * | `roomcode:<code>`                         | leases        | game server | game server |
 * | `guestnick:<roomId>:<nick>`               | leases        | game server | game server |
 * | `ticketused:<jti>`                        | leases        | game server | game server |
 * | `arena:outbox:items`, `arena:outbox:due`  | outbox        | game server | game server |
 * | `roomcaches`, `roomcount`, … (Colyseus)   | colyseus      | game server | game server |
 * | `scoreboard` (pub/sub channel)            | scoreboard    | backend     | backend     |
 * | `login:ip/user/pair:…`                    | login attempts| backend     | backend     |
 * | `rl:<limit>:<subject>`                    | rate limits   | backend     | backend     |
 * | `lb:<board>:<period>` and `lbm/lbr/lbl/lbt/lbtm/lbd:…` | rank cache | backend | backend |
 */

/** `<prefix>session:<sid>` → `<userId>:<expiresAt>`: returns the family prefix the session store appends a sid to. */
export const sessionKeys = (prefix: string): string => `${prefix}session:`;

/** The game server's leases: the lease store prepends this to every {@link LeaseName}. */
export const leaseKeys = (prefix: string): string => prefix;

/** Names of the game server's leases (the lease store puts {@link leaseKeys} in front). */
export const LeaseName = {
  /** Which room, ticket and seat an identity is playing in (one room per identity). */
  presence: (identity: string): string => `presence:${identity}`,
  /** A room's ticket-signing key. */
  roomKey: (roomId: string): string => `roomkey:${roomId}`,
  /** A short room code → room id. */
  roomCode: (code: string): string => `roomcode:${code}`,
  /** A guest nickname taken in one room. */
  guestName: (roomId: string, nick: string): string => `guestnick:${roomId}:${nick}`,
  /** A ticket already spent by the join that took a seat with it (tickets are single-use). */
  ticketUsed: (jti: string): string => `ticketused:${jti}`,
} as const;

/** The results outbox: `<prefix>arena:outbox:items` (hash) and `<prefix>arena:outbox:due` (zset); the store appends `:items` / `:due`. */
export const outboxKeys = (prefix: string): string => `${prefix}arena:outbox`;

/** Colyseus's own keys (room caches, room counts, IPC channels) go under the same prefix; no prefix means Colyseus's default. */
export const colyseusKeys = (prefix: string): string | undefined => prefix || undefined;

/** The pub/sub channel that fans committed scores out to every backend process. */
export const scoreboardChannel = (prefix: string): string => `${prefix}scoreboard`;

/** The backend's failed-login counters: the attempt store prepends this to every {@link LoginAttemptName}. */
export const loginAttemptKeys = (prefix: string): string => prefix;

/** Names of the failed-login counters, one per throttle scope (the store puts {@link loginAttemptKeys} in front). */
export const LoginAttemptName = {
  /** Failures from one client IP over every username. */
  ip: (ip: string): string => `login:ip:${ip}`,
  /** Failures for one username from every IP. */
  account: (name: string): string => `login:user:${name}`,
  /** Failures for one username from one client IP. */
  pair: (name: string, ip: string): string => `login:pair:${name}:${ip}`,
} as const;

/** A rate limiter's keys, `<prefix>rl:<limit>:<subject>` (the limiter appends `:<subject>`). */
export const rateLimitKeys = (prefix: string, limit: string): string => `${prefix}rl:${limit}`;

/** One board and period of the rank cache. */
export interface RankCacheKeys {
  /** Sorted set of encoded members. */
  z: string;
  /** Hash user id → member. */
  h: string;
  /** Set while the sorted set is complete. */
  marker: string;
  /** Held by the one process rebuilding. */
  lock: string;
  /** Rebuild's temporary sorted set, RENAMEd over `z`. */
  tz: string;
  /** Rebuild's temporary hash, RENAMEd over `h`. */
  th: string;
  /** Set when a removal overlapped a rebuild (the rebuild is not published). */
  dirty: string;
}

/** The rank cache's keys of one board and period, `<prefix>lb:<board>:<period>` and its companions. */
export function rankCacheKeys(prefix: string, board: string, period: string): RankCacheKeys {
  const tail = `${board}:${period}`;
  return {
    z: `${prefix}lb:${tail}`,
    h: `${prefix}lbm:${tail}`,
    marker: `${prefix}lbr:${tail}`,
    lock: `${prefix}lbl:${tail}`,
    tz: `${prefix}lbt:${tail}`,
    th: `${prefix}lbtm:${tail}`,
    dirty: `${prefix}lbd:${tail}`,
  };
}
