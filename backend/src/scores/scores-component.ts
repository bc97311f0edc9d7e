import express from "express";
import { AppError } from "@arena/shared";
import { scoreboardChannel } from "@arena/shared/contracts/redis-keys";
import { gameRulesFrom } from "@arena/shared/contracts/shared-config";
import type { BackendComponent, BackendContext } from "../backend-context.ts";
import { createAdminRouter } from "../admin/admin-routes.ts";
import { createAdminService } from "../admin/admin-service.ts";
import { createFlagRepository } from "../admin/flag-repository.ts";
import { BatchedAuditLog } from "../audit/batched-audit-log.ts";
import { auditAuthFailures } from "../http/audit-auth-failures.ts";
import { createInternalRouter } from "../internal/internal-routes.ts";
import { serviceTokenLimits } from "../internal/service-auth.ts";
import { DbRankCache } from "../leaderboard/db-rank-cache.ts";
import { createLeaderboardRouter } from "../leaderboard/leaderboard-routes.ts";
import { createLeaderboardService } from "../leaderboard/leaderboard-service.ts";
import type { RankCache } from "../leaderboard/rank-cache.ts";
import { RedisRankCache } from "../leaderboard/redis-rank-cache.ts";
import { createScoreboardMetrics } from "../metrics/scoreboard-metrics.ts";
import { LocalScoreBus, RedisScoreBus, type ScoreBus } from "../scoreboard/score-bus.ts";
import { createScoreboardHub } from "../scoreboard/scoreboard-hub.ts";
import { createScoreLimits } from "./score-limits.ts";
import { createScoreRepository } from "./score-repository.ts";
import { createScoreRouter } from "./score-routes.ts";
import { createScoreService } from "./score-service.ts";

/**
 * Scores, leaderboards, the live scoreboard socket, the review queue, the internal game-server
 * routes and the metrics registry: one component because they share one score service, rank cache and bus.
 * With `redisUrl` the rank cache, rate limits and fan-out live in Redis (shared by processes).
 */
export function createScoresComponent(ctx: BackendContext) {
  const { config, db, log, now } = ctx;
  const prefix = config.REDIS_KEY_PREFIX;
  const redis = ctx.redis;
  const ownAudit = ctx.audit ? undefined : new BatchedAuditLog(db, log, now);
  const audit = ctx.audit ?? ownAudit!;
  const metrics = createScoreboardMetrics();
  const dbRanks = new DbRankCache(db.sql);
  const rankCache: RankCache = redis ? new RedisRankCache({ redis, db: dbRanks, prefix, ttlSeconds: config.RANK_CACHE_TTL, now }) : dbRanks;
  const bus: ScoreBus = redis ? new RedisScoreBus(redis, ctx.redisUrl!, scoreboardChannel(prefix), log) : new LocalScoreBus();
  const repo = createScoreRepository(db);
  const admin = createAdminService({ db, sessions: ctx.sessions, flags: createFlagRepository(db), scores: repo, rankCache, bus, audit, metrics, now });
  const flag = async (userId: number, reason: string, evidence: Record<string, unknown>) => void (await admin.addFlag(userId, reason, evidence));

  let scores: ReturnType<typeof createScoreService> | undefined;
  const limits = createScoreLimits({ config, redis, prefix, onEvent: (event) => scores?.limitEvents(event) });
  scores = createScoreService({
    repo, rankCache, dbRanks, limits, bus, audit, metrics, log, now, flag,
    config: { MAX_POINTS_PER_ACTION: config.MAX_POINTS_PER_ACTION, batch: { maxBatch: config.SCORE_BATCH_MAX, maxWaitMs: config.SCORE_BATCH_WAIT_MS, concurrency: config.SCORE_BATCH_CONCURRENCY } },
  });

  let hub: ReturnType<typeof createScoreboardHub> | undefined;
  const leaderboards = createLeaderboardService({ rankCache, usernames: repo.usernames, now, metrics, onTopChange: (change) => hub?.onTopChange(change) });
  hub = createScoreboardHub({
    leaderboards, authenticate: ctx.auth.authenticate, audit, metrics, log, now,
    connectionLimit: config.WS_CONNECTION_LIMIT, heartbeatSeconds: config.WS_HEARTBEAT_INTERVAL,
    connectionsPerIp: config.WS_CONNECTIONS_PER_IP, subscribeTimeoutSeconds: config.WS_SUBSCRIBE_TIMEOUT, trustProxy: config.TRUST_PROXY,
    maxMessagesPerSecond: config.WS_MAX_MESSAGES_PER_SECOND,
  });
  bus.subscribe((event) => {
    leaderboards.onCommitted(event);
    for (const change of event.changes) hub!.onScoreChange(change);
  });

  const router = express.Router();
  router.use(createScoreRouter({ scores, auth: ctx.auth }));
  router.use(createLeaderboardRouter({ leaderboards, auth: ctx.auth }));
  router.use(createAdminRouter({ admin, auth: ctx.auth }));
  router.use(createInternalRouter({
    scores, servicePublicKey: config.SERVICE_PUBLIC_KEY, now, addFlag: admin.addFlag, audit,
    rules: gameRulesFrom(config),
    tokenLimits: serviceTokenLimits(config),
  }));
  router.use(auditAuthFailures(audit));
  router.use(((err, req, _res, next) => {
    if (err instanceof AppError) metrics.httpResponses.inc({ route: req.path.startsWith("/api/scores") ? "scores" : "other", status: String(err.status) });
    next(err);
  }) as express.ErrorRequestHandler);

  const component: BackendComponent & { scores: typeof scores; hub: typeof hub; leaderboards: typeof leaderboards; bus: ScoreBus; rankCache: RankCache; metrics: typeof metrics } = {
    name: "scores",
    router,
    metrics,
    scores,
    hub,
    leaderboards,
    bus,
    rankCache,
    attach: (server) => hub!.attach(server),
    async close() {
      await scores!.drain();
      await hub!.close();
      await bus.close();
      await ownAudit?.close();
    },
  };
  return component;
}
