// The game server's one choice of Redis or memory. Every store that keeps state outside a room
// is picked here from the configuration, and every Redis connection the process opens is opened
// here: with REDIS_URL set, leases (presence, room codes and keys, guest names), sessions, the
// results outbox and Colyseus's presence and driver live in Redis, shared by every game-server
// process; without it, in this process. Port + adapter layout (docs/architecture.md):
// `<thing>.ts` holds the interface, `memory-<thing>.ts` / `redis-<thing>.ts` one implementation each.
import { LocalDriver, LocalPresence, type matchMaker, type Presence } from "@colyseus/core";
import { RedisDriver } from "@colyseus/redis-driver";
import { RedisPresence } from "@colyseus/redis-presence";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { MemorySessionStore, type SessionStore } from "@arena/shared";
import { colyseusKeys, leaseKeys, outboxKeys, sessionKeys } from "@arena/shared/contracts/redis-keys";
import { CircuitBreaker } from "@arena/shared/resilience/circuit-breaker";
import type { DependencyCheck } from "@arena/shared/resilience/readiness";
import { createRedisClient } from "@arena/shared/resilience/redis-client";
import { RedisSessionStore } from "@arena/shared/session/redis-session-store";
import type { GameServerConfig } from "./config.ts";
import { MemoryOutboxStore } from "./game/memory-outbox-store.ts";
import type { OutboxStore } from "./game/outbox-store.ts";
import { RedisOutboxStore } from "./game/redis-outbox-store.ts";
import type { LeaseStore } from "./stores/lease-store.ts";
import { MemoryLeaseStore } from "./stores/memory-lease-store.ts";
import { RedisLeaseStore } from "./stores/redis-lease-store.ts";

/** The stores and connections of one game-server process. */
export interface GameServerInfrastructure {
  /** The process's guarded Redis command connection (bounded commands, one breaker), when REDIS_URL is set. */
  redis?: Redis;
  /** Expiring keys: presence, room codes, room keys, guest nicknames. */
  leases: LeaseStore;
  /** The backend's live sessions (the injected store, else Redis, else an empty memory store). */
  sessions: SessionStore;
  /** Where game results wait until the backend stored them. */
  outbox: OutboxStore;
  /** Colyseus's presence and matchmaker driver (Redis ones share rooms across processes). */
  colyseus: { presence: Presence; driver: matchMaker.MatchMakerDriver };
  /** What /readyz checks. */
  readiness: DependencyCheck[];
  /** Closes the leases, the sessions it opened and the Redis connection (after the rooms and the outbox stopped). */
  close(): Promise<void>;
}

/** Opens the stores `config` asks for; `sessions` replaces the session store (the embedded launcher's). */
export function openGameServerInfrastructure(config: GameServerConfig, options: { log: Logger; now: () => number; sessions?: SessionStore }): GameServerInfrastructure {
  const { log, now } = options;
  const prefix = config.REDIS_KEY_PREFIX;
  const redisBreaker = new CircuitBreaker({ name: "redis", openMs: config.BREAKER_OPEN_MS });
  const redis = config.REDIS_URL
    ? createRedisClient(config.REDIS_URL, { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT, breaker: redisBreaker, extra: { enableAutoPipelining: true } })
    : undefined;
  const leases: LeaseStore = redis ? new RedisLeaseStore(redis, leaseKeys(prefix)) : new MemoryLeaseStore(now);
  const sessions = options.sessions ?? defaultSessions(config, log, now, redis);
  const outbox: OutboxStore = config.REDIS_URL ? new RedisOutboxStore(redis ?? config.REDIS_URL, outboxKeys(prefix)) : new MemoryOutboxStore();
  const redisOptions = config.REDIS_URL
    ? { ...colyseusRedisOptions(config.REDIS_URL, colyseusKeys(prefix)), commandTimeout: config.REDIS_COMMAND_TIMEOUT, maxRetriesPerRequest: 1 }
    : undefined;
  return {
    redis,
    leases,
    sessions,
    outbox,
    colyseus: {
      presence: redisOptions ? new RedisPresence(redisOptions) : new LocalPresence(),
      driver: redisOptions ? new RedisDriver(redisOptions) : new LocalDriver(),
    },
    readiness: redis ? [{ name: "redis", ping: () => redis.ping(), breaker: redisBreaker }] : [],
    async close() {
      await Promise.allSettled([leases.close(), options.sessions ? undefined : sessions.close()]);
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}

function defaultSessions(config: GameServerConfig, log: Logger, now: () => number, redis: Redis | undefined): SessionStore {
  if (redis) return new RedisSessionStore(redis, sessionKeys(config.REDIS_KEY_PREFIX), now);
  log.warn("no REDIS_URL and no injected session store: player sessions cannot be checked, only guests can get tickets");
  return new MemorySessionStore(now);
}

/** Colyseus's Redis packages take options (they bundle their own ioredis): URL + key prefix. */
function colyseusRedisOptions(url: string, keyPrefix: string | undefined) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number(parsed.pathname.slice(1) || 0),
    tls: parsed.protocol === "rediss:" ? {} : undefined,
    keyPrefix,
  };
}
