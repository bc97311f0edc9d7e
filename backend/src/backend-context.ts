import type http from "node:http";
import type express from "express";
import type { Redis } from "ioredis";
import type pino from "pino";
import type { CircuitBreaker } from "@arena/shared/resilience/circuit-breaker";
import type { Database } from "@arena/db";
import type { SessionStore } from "@arena/shared";
import type { BackendConfig } from "./config.ts";
import type { AuthMiddlewares } from "./http/auth-middleware.ts";
import type { IdentityKeyStore } from "./keys/identity-key-store.ts";

/** What `createBackend` needs from its caller (main.ts, the embedded launcher, tests). */
export interface BackendDeps {
  /** Parsed configuration. */
  config: BackendConfig;
  /** Open (and migrated) database. */
  db: Database;
  /** Session liveness mirror shared with the game server. */
  sessions: SessionStore;
  /** Redis URL: with it, infrastructure.ts puts the rank cache, score bus, rate limits and login attempts in Redis. */
  redisUrl?: string;
  /**
   * The process's Redis command connection (bounded commands behind the redis breaker, see
   * createRedisClient); opened from `redisUrl` by createBackend when not given.
   */
  redis?: Redis;
  /** The process's circuit breakers, reported by /readyz. */
  breakers?: { db?: CircuitBreaker; redis?: CircuitBreaker };
  /** Root logger. */
  log: pino.Logger;
  /** Clock in epoch ms (tests inject one); defaults to Date.now. */
  now?: () => number;
  /** Identity keys; when absent they are loaded from config / DATA_DIR/keys. */
  keys?: IdentityKeyStore;
}

/** One structured audit event, as auth and admin code report it. */
export interface AuditEvent {
  /** Event name, e.g. "auth.login", "auth.refresh_reuse", "admin.ban". */
  event: string;
  /** The user the event is about, when known. */
  userId?: number | null;
  /** Client IP, when known. */
  ip?: string | null;
  /** Anything else worth keeping (never passwords or tokens). */
  data?: Record<string, unknown>;
}

/** Append-only audit trail (implemented by the audit component). */
export interface AuditLog {
  /** Records one event; must not throw into the caller's request. */
  record(event: AuditEvent): Promise<void>;
}

/** Everything a component factory receives. */
export interface BackendContext extends BackendDeps {
  /** Clock in epoch ms. */
  now: () => number;
  /** The identity keys (sign + verify). */
  keys: IdentityKeyStore;
  /** requireIdentity / optionalIdentity / requireAdmin. */
  auth: AuthMiddlewares;
  /** Audit trail, when an audit component is installed. */
  audit?: AuditLog;
}

/** One piece of the backend: routes plus optional server hooks, registered in app.ts. */
export interface BackendComponent {
  /** Short name for logs. */
  name: string;
  /** Routes, mounted at "/". */
  router?: express.Router;
  /** Called once the HTTP server exists (e.g. to handle WebSocket upgrades). */
  attach?(server: http.Server): void;
  /** Releases timers and connections; called in reverse registration order. */
  close?(): Promise<void>;
}
