import type http from "node:http";
import express from "express";
import { CircuitBreaker } from "@arena/shared/resilience/circuit-breaker";
import { createRedisClient } from "@arena/shared/resilience/redis-client";
import type { BackendComponent, BackendContext, BackendDeps } from "./backend-context.ts";
import { createAuditComponent } from "./audit/audit-component.ts";
import { createAuthComponent } from "./auth/auth-component.ts";
import { liveSessionsIn, readThroughSessions } from "./auth/read-through-sessions.ts";
import { createChatComponent } from "./chat/chat-component.ts";
import { createAuthMiddlewares } from "./http/auth-middleware.ts";
import { errorMiddleware, notFoundMiddleware } from "./http/error-middleware.ts";
import { createHealthComponent } from "./http/health-component.ts";
import { corsMiddleware, requestLogger, securityHeaders } from "./http/request-middleware.ts";
import { loadIdentityKeyStore } from "./keys/embedded-key-files.ts";
import type { IdentityKeyStore } from "./keys/identity-key-store.ts";
import { createJwksComponent } from "./http/jwks-component.ts";
import { createScoreboardReadHandler } from "./leaderboard/scoreboard-read.ts";
import { createProgressionComponent } from "./progression/progression-component.ts";
import { createMatchRepository } from "./matches/match-repository.ts";
import { createMatchesComponent } from "./matches/matches-component.ts";
import { createScoresComponent } from "./scores/scores-component.ts";
import { createWebComponent } from "./web/web-component.ts";

export type { BackendComponent, BackendContext, BackendDeps } from "./backend-context.ts";

/** A composed backend: the Express app plus the hooks its components need from the server. */
export interface Backend {
  /** The Express application (mount it on an http.Server). */
  app: express.Express;
  /** Identity keys (the embedded launcher passes the public ones to the game server). */
  keys: IdentityKeyStore;
  /** The Prometheus text of the backend's metrics (served on the metrics listener only). */
  renderMetrics(): Promise<{ contentType: string; body: string }>;
  /** Gives components the HTTP server (WebSocket upgrades); call once after creating it. */
  attach(server: http.Server): void;
  /** Stops timers and closes component resources (not the db or session store: the caller owns those). */
  close(): Promise<void>;
}

/**
 * Builds the backend from its dependencies. Components are registered in the ONE list
 * below; each gets the same context (config, db, sessions, keys, auth middlewares, log).
 */
export async function createBackend(deps: BackendDeps): Promise<Backend> {
  const now = deps.now ?? Date.now;
  const keys = deps.keys ?? (await loadIdentityKeyStore(deps.config));
  const sessions = readThroughSessions(deps.sessions, liveSessionsIn(deps.db, deps.config.HEARTBEAT_TIMEOUT * 1000, now));
  const auth = createAuthMiddlewares({ config: deps.config, keys, sessions, now });
  const auditing = createAuditComponent({ ...deps, now });
  const redisBreaker = deps.breakers?.redis ?? (deps.redisUrl ? new CircuitBreaker({ name: "redis", openMs: deps.config.BREAKER_OPEN_MS }) : undefined);
  const breakers = { db: deps.breakers?.db, redis: redisBreaker };
  const ownRedis = !deps.redis && deps.redisUrl ? createRedisClient(deps.redisUrl, { commandTimeoutMs: deps.config.REDIS_COMMAND_TIMEOUT, breaker: redisBreaker }) : undefined;
  const ctx: BackendContext = { ...deps, redis: deps.redis ?? ownRedis, breakers, now, keys, auth, audit: auditing.audit };

  // Matches and progression share the match records: progression credits them, and reads best placements from them.
  const matchRecords = createMatchRepository(deps.db);
  const progression = createProgressionComponent(ctx, { bestPlacements: matchRecords.bestPlacements });

  const scores = createScoresComponent(ctx);
  const components: BackendComponent[] = [
    auditing,
    createHealthComponent(ctx),
    createJwksComponent(ctx),
    createAuthComponent(ctx, { dailyBonus: progression.progression.grantDailyBonus }),
    scores,
    progression,
    createMatchesComponent(ctx, { repo: matchRecords, creditPoints: progression.progression.creditMatch }),
    createChatComponent(ctx),
    createWebComponent(ctx),
  ];

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.config.TRUST_PROXY);
  app.set("query parser", "simple");
  // The public scoreboard read is answered from a cached body before the per-request middleware (it sends their headers itself).
  app.get("/api/scoreboard", createScoreboardReadHandler({ leaderboards: scores.leaderboards, corsOrigins: deps.config.CORS_ORIGINS, metrics: scores.metrics }));
  app.use(requestLogger(deps.log));
  app.use(securityHeaders);
  app.use(corsMiddleware(deps.config.CORS_ORIGINS));
  app.use(express.json({ limit: deps.config.BODY_LIMIT, strict: true }));
  for (const component of components) if (component.router) app.use(component.router);
  app.use(notFoundMiddleware);
  app.use(errorMiddleware(deps.log));

  let closed = false;
  const { registry } = scores.metrics;
  return {
    app,
    keys,
    renderMetrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
    attach(server) {
      for (const component of components) component.attach?.(server);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const component of [...components].reverse()) {
        await component.close?.().catch((err: unknown) => deps.log.error({ err, component: component.name }, "component close failed"));
      }
      await ownRedis?.quit().catch(() => ownRedis.disconnect());
    },
  };
}
