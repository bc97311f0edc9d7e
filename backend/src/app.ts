import type http from "node:http";
import express from "express";
import { gameRulesFrom } from "@arena/shared/contracts/shared-config";
import type { BackendComponent, BackendContext, BackendDeps } from "./backend-context.ts";
import { createAdminRouter } from "./admin/admin-routes.ts";
import { createAdminService } from "./admin/admin-service.ts";
import { createFlagRepository } from "./admin/flag-repository.ts";
import { createAuditComponent } from "./audit/audit-component.ts";
import { createAuthComponent } from "./auth/auth-component.ts";
import { liveSessionsIn, readThroughSessions } from "./auth/read-through-sessions.ts";
import { createChatComponent } from "./chat/chat-component.ts";
import { auditAuthFailures } from "./http/audit-auth-failures.ts";
import { createAuthMiddlewares } from "./http/auth-middleware.ts";
import { errorMiddleware, notFoundMiddleware } from "./http/error-middleware.ts";
import { createHealthComponent } from "./http/health-component.ts";
import { createJwksComponent } from "./http/jwks-component.ts";
import { corsMiddleware, requestLogger, securityHeaders } from "./http/request-middleware.ts";
import { closeRedis, createBackendAdapters, createBreakers, openRedisCommands } from "./infrastructure.ts";
import { createInternalRouter } from "./internal/internal-routes.ts";
import { serviceTokenLimits } from "./internal/service-auth.ts";
import { loadIdentityKeyStore } from "./keys/embedded-key-files.ts";
import type { IdentityKeyStore } from "./keys/identity-key-store.ts";
import { createLeaderboardRouter } from "./leaderboard/leaderboard-routes.ts";
import { createLeaderboardService } from "./leaderboard/leaderboard-service.ts";
import { createScoreboardReadHandler } from "./leaderboard/scoreboard-read.ts";
import { createMatchRepository } from "./matches/match-repository.ts";
import { createMatchesComponent } from "./matches/matches-component.ts";
import { countErrorAnswers } from "./metrics/count-error-answers.ts";
import { createScoreboardMetrics } from "./metrics/scoreboard-metrics.ts";
import { createProgressionComponent } from "./progression/progression-component.ts";
import { createScoreboardHub } from "./scoreboard/scoreboard-hub.ts";
import { limitEventReporter } from "./scores/limit-events.ts";
import { createScoreLimits } from "./scores/score-limits.ts";
import { createScoreRepository } from "./scores/score-repository.ts";
import { createScoreRouter } from "./scores/score-routes.ts";
import { createScoreService, type ScoreService } from "./scores/score-service.ts";
import { createWebComponent } from "./web/web-component.ts";

export type { BackendComponent, BackendContext, BackendDeps } from "./backend-context.ts";

/** A composed backend: the Express app plus the hooks its components need from the server. */
export interface Backend {
  /** The Express application (mount it on an http.Server). */
  app: express.Express;
  /** Identity keys (the embedded launcher passes the public ones to the game server). */
  keys: IdentityKeyStore;
  /** The score service (the score bench drives it without HTTP). */
  scores: ScoreService;
  /** The Prometheus text of the backend's metrics (served on the metrics listener only). */
  renderMetrics(): Promise<{ contentType: string; body: string }>;
  /** Gives components the HTTP server (WebSocket upgrades); call once after creating it. */
  attach(server: http.Server): void;
  /** Stops timers and closes component resources (not the db or session store: the caller owns those). */
  close(): Promise<void>;
}

/**
 * The backend's composition root: builds every service once, in dependency order (each
 * gets what it needs as arguments; none builds another folder's service), then mounts
 * their routes in the ONE component list below. Redis or memory is chosen once, in
 * infrastructure.ts. Dependencies run one way (docs/architecture.md).
 */
export async function createBackend(deps: BackendDeps): Promise<Backend> {
  const { config, db, log } = deps;
  const now = deps.now ?? Date.now;
  const keys = deps.keys ?? (await loadIdentityKeyStore(config));
  const sessions = readThroughSessions(deps.sessions, liveSessionsIn(db, config.HEARTBEAT_TIMEOUT * 1000, now));
  const auth = createAuthMiddlewares({ config, keys, sessions, now });
  const auditing = createAuditComponent({ ...deps, now });
  const audit = auditing.audit;
  const redisBreaker = deps.breakers?.redis ?? (deps.redisUrl ? createBreakers(config).redis : undefined);
  const breakers = { db: deps.breakers?.db, redis: redisBreaker };
  const ownRedis = deps.redis ? undefined : openRedisCommands(deps.redisUrl, config, redisBreaker);
  const redis = deps.redis ?? ownRedis;
  const ctx: BackendContext = { ...deps, redis, breakers, now, keys, auth, audit };
  const adapters = createBackendAdapters({ config, db, redis, redisUrl: deps.redisUrl, log, now });
  const { rankCache, bus } = adapters;
  const metrics = createScoreboardMetrics();

  // Admin first: the score service raises review flags through it.
  const scoreRecords = createScoreRepository(db);
  const admin = createAdminService({ db, sessions: deps.sessions, flags: createFlagRepository(db), scores: scoreRecords, rankCache, bus, audit, metrics, now });
  const flag = async (userId: number, reason: string, evidence: Record<string, unknown>) => void (await admin.addFlag(userId, reason, evidence));

  // Scores publish every commit on the bus; the leaderboards and the live hub hear it.
  const limits = createScoreLimits({ config, redis: adapters.limitsRedis, prefix: config.REDIS_KEY_PREFIX, onEvent: limitEventReporter({ audit, flag }) });
  const scores = createScoreService({
    repo: scoreRecords, rankCache, dbRanks: adapters.dbRanks, limits, bus, audit, metrics, log, now, flag,
    config: { MAX_POINTS_PER_ACTION: config.MAX_POINTS_PER_ACTION, batch: { maxBatch: config.SCORE_BATCH_MAX, maxWaitMs: config.SCORE_BATCH_WAIT_MS, concurrency: config.SCORE_BATCH_CONCURRENCY } },
  });
  const leaderboards = createLeaderboardService({ rankCache, usernames: scoreRecords.usernames, now, metrics });
  const hub = createScoreboardHub({
    leaderboards, authenticate: auth.authenticate, audit, metrics, log, now,
    connectionLimit: config.WS_CONNECTION_LIMIT, heartbeatSeconds: config.WS_HEARTBEAT_INTERVAL,
    connectionsPerIp: config.WS_CONNECTIONS_PER_IP, subscribeTimeoutSeconds: config.WS_SUBSCRIBE_TIMEOUT, trustProxy: config.TRUST_PROXY,
    maxMessagesPerSecond: config.WS_MAX_MESSAGES_PER_SECOND,
  });
  leaderboards.subscribeTopChanges((change) => hub.onTopChange(change));
  bus.subscribe((event) => {
    leaderboards.onCommitted(event);
    for (const change of event.changes) hub.onScoreChange(change);
  });

  // Matches and progression share the match records: progression credits them, and reads best placements from them.
  const matchRecords = createMatchRepository(db);
  const progression = createProgressionComponent(ctx, { bestPlacements: matchRecords.bestPlacements });

  // The score, scoreboard, review-queue and game-server routes share one error tail: audited auth failures, counted answers.
  const scoreRoutes = express.Router();
  scoreRoutes.use(createScoreRouter({ scores, auth }));
  scoreRoutes.use(createLeaderboardRouter({ leaderboards, auth }));
  scoreRoutes.use(createAdminRouter({ admin, auth }));
  scoreRoutes.use(createInternalRouter({
    scores, servicePublicKey: config.SERVICE_PUBLIC_KEY, now, addFlag: admin.addFlag, audit,
    rules: gameRulesFrom(config),
    tokenLimits: serviceTokenLimits(config),
  }));
  scoreRoutes.use(auditAuthFailures(audit));
  scoreRoutes.use(countErrorAnswers(metrics));

  const components: BackendComponent[] = [
    auditing,
    createHealthComponent(ctx),
    createJwksComponent(ctx),
    createAuthComponent(ctx, { attempts: adapters.loginAttempts, dailyBonus: progression.progression.grantDailyBonus }),
    {
      name: "scores",
      router: scoreRoutes,
      attach: (server) => hub.attach(server),
      async close() {
        await scores.drain();
        await hub.close();
      },
    },
    progression,
    createMatchesComponent(ctx, { repo: matchRecords, creditPoints: progression.progression.creditMatch }),
    createChatComponent(ctx),
    createWebComponent(ctx),
  ];

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.TRUST_PROXY);
  app.set("query parser", "simple");
  // The public scoreboard read is answered from a cached body before the per-request middleware (it sends their headers itself).
  app.get("/api/scoreboard", createScoreboardReadHandler({ leaderboards, corsOrigins: config.CORS_ORIGINS, metrics }));
  app.use(requestLogger(log, { slowMs: config.SLOW_REQUEST_MS }));
  app.use(securityHeaders);
  app.use(corsMiddleware(config.CORS_ORIGINS));
  app.use(express.json({ limit: config.BODY_LIMIT, strict: true }));
  for (const component of components) if (component.router) app.use(component.router);
  app.use(notFoundMiddleware);
  app.use(errorMiddleware(log));

  let closed = false;
  const { registry } = metrics;
  return {
    app,
    keys,
    scores,
    renderMetrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
    attach(server) {
      for (const component of components) component.attach?.(server);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const component of [...components].reverse()) {
        await component.close?.().catch((err: unknown) => log.error({ err, component: component.name }, "component close failed"));
      }
      await adapters.close().catch((err: unknown) => log.error({ err }, "adapters close failed"));
      if (ownRedis) await closeRedis(ownRedis);
    },
  };
}
