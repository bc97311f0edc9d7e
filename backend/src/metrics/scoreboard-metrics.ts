import client from "prom-client";

/**
 * The Prometheus metrics of the scores and scoreboard components (docs/api-scores.md, "Audit log and metrics"),
 * on a registry of their own so several backends can live in one process (tests).
 */
export function createScoreboardMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    /** Score update requests by outcome ("committed", "replay", or the error code): rate and error rate. */
    scoreUpdates: new client.Counter({ name: "score_updates_total", help: "Score update requests by result.", labelNames: ["source", "result"], registers: [registry] }),
    /** Durable group commits and their size. */
    batchSize: new client.Histogram({ name: "score_commit_batch_size", help: "Score commands per group commit.", buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512], registers: [registry] }),
    /** Database time per group commit, seconds. */
    dbSeconds: new client.Histogram({ name: "score_commit_db_seconds", help: "Database time of one group commit.", buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1], registers: [registry] }),
    /** Leaderboard snapshot reads served from the in-process cache vs rebuilt. */
    cacheLookups: new client.Counter({ name: "leaderboard_cache_lookups_total", help: "Leaderboard reads by cache result (hit/miss).", labelNames: ["result"], registers: [registry] }),
    /** Open scoreboard WebSocket connections. */
    wsConnections: new client.Gauge({ name: "scoreboard_ws_connections", help: "Open scoreboard WebSocket connections.", registers: [registry] }),
    /** WebSocket messages sent, by type. */
    wsMessages: new client.Counter({ name: "scoreboard_ws_messages_total", help: "Scoreboard WebSocket messages sent.", labelNames: ["type"], registers: [registry] }),
    /** Scoreboard watchers dropped because they left more than the cap unread in their send buffer. */
    wsSlowConsumers: new client.Counter({ name: "scoreboard_ws_slow_consumers_total", help: "Scoreboard sockets terminated for not reading their updates.", registers: [registry] }),
    /** `GET /api/scoreboard` answers from the pre-serialised body, by status (200, or 304 when the ETag matched). */
    scoreboardReads: new client.Counter({ name: "scoreboard_reads_total", help: "GET /api/scoreboard answers served from the cached body, by status.", labelNames: ["status"], registers: [registry] }),
    /** From a commit's timestamp to the last LEADERBOARD_UPDATE frame handed to the sockets of this process, seconds. */
    broadcastSeconds: new client.Histogram({ name: "scoreboard_broadcast_seconds", help: "Commit to last LEADERBOARD_UPDATE frame written, per broadcast.", buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2], registers: [registry] }),
    /** Accounts flagged for review, by reason (flags per hour = rate over 1h). */
    flags: new client.Counter({ name: "flags_total", help: "Accounts flagged for review.", labelNames: ["reason"], registers: [registry] }),
    /** HTTP answers of the score and scoreboard routes, by status class. */
    httpResponses: new client.Counter({ name: "scoreboard_http_responses_total", help: "Score/scoreboard HTTP responses by route and status.", labelNames: ["route", "status"], registers: [registry] }),
  };
}

export type ScoreboardMetrics = ReturnType<typeof createScoreboardMetrics>;
