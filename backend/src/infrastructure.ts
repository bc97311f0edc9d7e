// The backend's one choice of Redis or memory. Every adapter that keeps state outside the
// database is picked here from the configuration, and every Redis connection the backend
// opens is opened here: with REDIS_URL set, state that all backend processes must share
// lives in Redis; without it, in this process (or the database, for ranks).
// Port + adapter layout (docs/architecture.md): `<thing>.ts` holds the interface (and the
// memory implementation when it is small), `redis-<thing>.ts` / `db-<thing>.ts` the others.
import type { Redis } from "ioredis";
import type pino from "pino";
import type { Database } from "@arena/db";
import { MemorySessionStore, type SessionStore } from "@arena/shared";
import { loginAttemptKeys, scoreboardChannel, sessionKeys } from "@arena/shared/contracts/redis-keys";
import { CircuitBreaker } from "@arena/shared/resilience/circuit-breaker";
import { createRedisClient } from "@arena/shared/resilience/redis-client";
import { RedisSessionStore } from "@arena/shared/session/redis-session-store";
import type { LoginAttemptStore } from "./auth/login-attempt-store.ts";
import { MemoryLoginAttemptStore } from "./auth/memory-login-attempt-store.ts";
import { RedisLoginAttemptStore } from "./auth/redis-login-attempt-store.ts";
import type { BackendConfig } from "./config.ts";
import { DbRankCache } from "./leaderboard/db-rank-cache.ts";
import type { RankCache } from "./leaderboard/rank-cache.ts";
import { RedisRankCache } from "./leaderboard/redis-rank-cache.ts";
import { RedisScoreBus } from "./leaderboard/redis-score-bus.ts";
import { MemoryScoreBus } from "./leaderboard/memory-score-bus.ts";
import type { ScoreBus } from "./leaderboard/score-bus.ts";

/** The circuit breakers of one backend process's dependencies (reported by /readyz). */
export interface BackendBreakers {
  /** Guards database checkouts. */
  db: CircuitBreaker;
  /** Guards Redis commands. */
  redis: CircuitBreaker;
}

/** One breaker per dependency, opening for BREAKER_OPEN_MS. */
export function createBreakers(config: Pick<BackendConfig, "BREAKER_OPEN_MS">): BackendBreakers {
  return {
    db: new CircuitBreaker({ name: "db", openMs: config.BREAKER_OPEN_MS }),
    redis: new CircuitBreaker({ name: "redis", openMs: config.BREAKER_OPEN_MS }),
  };
}

/**
 * The process's Redis command connection (commands bounded by REDIS_COMMAND_TIMEOUT, behind
 * `breaker`), or undefined without a Redis URL. The caller closes it with {@link closeRedis}.
 */
export function openRedisCommands(redisUrl: string | undefined, config: Pick<BackendConfig, "REDIS_COMMAND_TIMEOUT">, breaker?: CircuitBreaker): Redis | undefined {
  return redisUrl ? createRedisClient(redisUrl, { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT, breaker }) : undefined;
}

/** Closes a Redis connection: a clean QUIT, or a hard disconnect when that fails. */
export async function closeRedis(redis: Redis): Promise<void> {
  await redis.quit().then(
    () => {},
    () => redis.disconnect(),
  );
}

/**
 * The session liveness mirror shared with the game server: in Redis under the shared session
 * keys when REDIS_URL is set (on `redis`, or a connection of its own when not given), else in memory.
 */
export function openSessionStore(config: Pick<BackendConfig, "REDIS_URL" | "REDIS_KEY_PREFIX">, redis?: Redis): SessionStore {
  if (!config.REDIS_URL) return new MemorySessionStore();
  return new RedisSessionStore(redis ?? config.REDIS_URL, sessionKeys(config.REDIS_KEY_PREFIX));
}

/** The stateful adapters the backend's services run on. */
export interface BackendAdapters {
  /** Ranks straight from the database (the rank cache's fallback). */
  dbRanks: DbRankCache;
  /** Sorted-set ranks in Redis in front of the database, or the database alone. */
  rankCache: RankCache;
  /** Fan-out of committed scores to every backend process. */
  bus: ScoreBus;
  /** Failed-login records of the login throttle. */
  loginAttempts: LoginAttemptStore;
  /** Where the score rate limits count: the Redis command connection, or this process when undefined. */
  limitsRedis?: Redis;
  /** Closes the bus and the login store (not `redis`, which the caller owns); call after the services stopped. */
  close(): Promise<void>;
}

/**
 * Picks every adapter once: Redis ones on the command connection `redis` (plus the bus's
 * subscriber and the login store's connection, opened from `redisUrl`) when a Redis URL is
 * given, else the in-process and database ones.
 */
export function createBackendAdapters(deps: {
  config: BackendConfig;
  db: Database;
  /** The process's Redis command connection; given exactly when `redisUrl` is. */
  redis?: Redis;
  redisUrl?: string;
  log: pino.Logger;
  now: () => number;
}): BackendAdapters {
  const { config, db, redis, redisUrl, log, now } = deps;
  const prefix = config.REDIS_KEY_PREFIX;
  const dbRanks = new DbRankCache(db.sql);
  if (!redis || !redisUrl) {
    const bus = new MemoryScoreBus();
    const loginAttempts = new MemoryLoginAttemptStore(now);
    return { dbRanks, rankCache: dbRanks, bus, loginAttempts, close: () => closeAll(bus, loginAttempts) };
  }
  const bus = new RedisScoreBus(redis, redisUrl, scoreboardChannel(prefix), log);
  const loginAttempts = new RedisLoginAttemptStore(redisUrl, loginAttemptKeys(prefix));
  return {
    dbRanks,
    rankCache: new RedisRankCache({ redis, db: dbRanks, prefix, ttlSeconds: config.RANK_CACHE_TTL, now }),
    bus,
    loginAttempts,
    limitsRedis: redis,
    close: () => closeAll(bus, loginAttempts),
  };
}

async function closeAll(...closables: { close(): Promise<void> }[]): Promise<void> {
  for (const closable of closables) await closable.close();
}
