import { AppError, Board, type GameMode, type IdentityClaims } from "@arena/shared";
import type pino from "pino";
import type { AuditLog } from "../backend-context.ts";
import { AuditEventName } from "../audit/batched-audit-log.ts";
import type { RankCache, ScoreRow } from "../leaderboard/rank-cache.ts";
import type { DbRankCache } from "../leaderboard/db-rank-cache.ts";
import { MAX_EXACT_SCORE } from "../leaderboard/rank-order.ts";
import type { ScoreboardMetrics } from "../metrics/scoreboard-metrics.ts";
import type { ScoreBus } from "../leaderboard/score-bus.ts";
import { ACTION_TYPES, gameResultType } from "./action-types.ts";
import { GroupCommitBatcher, type BatcherOptions } from "./group-commit-batcher.ts";
import { limitEventReporter } from "./limit-events.ts";
import type { ScoreLimits } from "./score-limits.ts";
import type { CommitOutcome, ScoreCommand, ScoreRepository } from "./score-repository.ts";

/** The outcome of one score action, as both entry points answer it. */
export interface ScoreResult {
  userId: number;
  board: string;
  newScore: number;
  rank: number;
  replay: boolean;
}

/** Score submission: the client's `POST /api/scores` and the game server's results, one commit path. */
export interface ScoreService {
  /**
   * Rate limits and penalties for one client request (the second check, right after
   * authentication); throws TEMPORARILY_BANNED or RATE_LIMIT_EXCEEDED.
   */
  admit(identity: IdentityClaims): Promise<void>;
  /** `POST /api/scores` after authentication and {@link admit}: uniqueness, bounds, commit. */
  submitClientAction(identity: IdentityClaims, body: { action_id: string; action_type: unknown; points: unknown }): Promise<ScoreResult>;
  /** `POST /internal/game-results` after service authentication: the same path, no client limits. */
  submitGameResult(result: { result_id: string; user_id: string; mode: GameMode; score: number }): Promise<ScoreResult>;
  /** Waits for queued commits and their background checks (shutdown, tests). */
  drain(): Promise<void>;
}

export interface ScoreServiceDeps {
  repo: ScoreRepository;
  rankCache: RankCache;
  /** Answers ranks when the cache fails. */
  dbRanks: DbRankCache;
  limits: ScoreLimits;
  bus: ScoreBus;
  audit: AuditLog;
  metrics: ScoreboardMetrics;
  log: pino.Logger;
  now: () => number;
  /** Raises a flag for the review queue. */
  flag(userId: number, reason: string, evidence: Record<string, unknown>): Promise<void>;
  config: { MAX_POINTS_PER_ACTION: number; batch: BatcherOptions };
}

type Outcome = CommitOutcome & { rank?: number };

/**
 * The score update story (docs/api-scores.md, the order of checks), shared by `POST /api/scores` and the
 * game server's `POST /internal/game-results`: checks, then a durable group commit, then the
 * rank, cache and live-update fan-out, then velocity checks that may flag the account.
 */
export function createScoreService(deps: ScoreServiceDeps): ScoreService {
  const { repo, rankCache, bus, audit, metrics, log, now } = deps;

  /**
   * One group commit. The batcher's slot is held only for the commit: the rank and the fan-out
   * start at once (in commit order, so the rank cache sees batches as the database did) and each
   * caller's outcome settles when they are done, while the next batch already commits.
   */
  async function processBatch(commands: ScoreCommand[]): Promise<Promise<Outcome>[]> {
    const at = now();
    const stop = metrics.dbSeconds.startTimer();
    const { outcomes, rows } = await repo.commitBatch(commands, at);
    stop();
    metrics.batchSize.observe(commands.length);
    const done = rankAndPublish(commands, outcomes, rows, at);
    track(done);
    return outcomes.map((_, i) => done.then((result) => result[i]));
  }

  async function rankAndPublish(commands: ScoreCommand[], outcomes: CommitOutcome[], rows: ScoreRow[], at: number): Promise<Outcome[]> {
    const ranked = outcomes.map((o, i) => ({ o, i })).filter(({ o }) => o.kind !== "rejected");
    const queries = ranked.map(({ o }) => ({ board: (o as { board: string }).board, period: "all", userId: (o as { userId: number }).userId }));
    const ranks = await rankCache.applyAndRank(rows, queries).catch((err: unknown) => {
      log.warn({ err }, "rank cache failed; ranking from the database");
      return deps.dbRanks.ranks(queries);
    });
    const result: Outcome[] = outcomes.map((o) => ({ ...o }));
    ranked.forEach(({ i }, j) => ((result[i] as { rank?: number }).rank = ranks[j] ?? 0));
    const changes = result.flatMap((o, i) =>
      o.kind === "committed" ? [{ userId: o.userId, board: o.board, newScore: o.newScore, rank: o.rank ?? 0, pointsGained: commands[i].points }] : [],
    );
    // Local subscribers run synchronously inside publish; other processes hear it via Redis (not awaited).
    if (changes.length > 0) bus.publish({ at, rows, changes }).catch((err: unknown) => log.warn({ err }, "score bus publish failed"));
    return result;
  }

  const background = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    background.add(p);
    void p.finally(() => background.delete(p)).catch(() => {});
  };
  const batcher = new GroupCommitBatcher(processBatch, deps.config.batch);

  const onLimitEvent = limitEventReporter(deps);

  async function record(cmd: ScoreCommand, source: "client" | "game"): Promise<ScoreResult> {
    const outcome = await batcher.submit(cmd);
    if (outcome.kind === "rejected") {
      metrics.scoreUpdates.inc({ source, result: outcome.code });
      throw new AppError(outcome.code, outcome.message);
    }
    metrics.scoreUpdates.inc({ source, result: outcome.kind });
    if (outcome.kind === "committed") {
      void audit.record({
        event: AuditEventName.ScoreUpdate,
        userId: cmd.userId,
        data: { action_id: cmd.actionId, action_type: cmd.actionType, board: cmd.board, points: cmd.points, new_score: outcome.newScore, at: new Date(now()).toISOString() },
      });
      if (cmd.board !== Board.Steps) {
        track(
          deps.limits
            .trackPoints(String(cmd.userId), cmd.points)
            .then((events) => events.forEach(onLimitEvent))
            .catch((err: unknown) => log.warn({ err }, "velocity check failed")),
        );
      }
    }
    return { userId: outcome.userId, board: outcome.board, newScore: outcome.newScore, rank: outcome.rank ?? 0, replay: outcome.kind === "replay" };
  }

  /** The stored result of an earlier action of this user, if `actionId` was committed before. */
  async function replayOf(actionId: string, userId: number): Promise<ScoreResult | null> {
    const row = await repo.findAction(actionId);
    if (!row || Number(row.user_id) !== userId) return null;
    const [rank] = await rankCache.ranks([{ board: row.board, period: "all", userId }]);
    return { userId, board: row.board, newScore: Number(row.new_score), rank: rank ?? 0, replay: true };
  }

  return {
    admit: (identity: IdentityClaims) =>
      deps.limits.admit(identity.sub).catch((err: unknown) => {
        metrics.scoreUpdates.inc({ source: "client", result: err instanceof AppError ? err.code : "INTERNAL" });
        throw err;
      }),

    async submitClientAction(identity: IdentityClaims, body: { action_id: string; action_type: unknown; points: unknown }): Promise<ScoreResult> {
      const userId = Number(identity.sub);
      const type = typeof body.action_type === "string" && Object.hasOwn(ACTION_TYPES, body.action_type) ? ACTION_TYPES[body.action_type] : undefined;
      const max = type ? Math.min(type.maxPoints, deps.config.MAX_POINTS_PER_ACTION) : 0;
      const problem = !type
        ? "Unknown action_type."
        : !type.clientMayPost
          ? "Game boards accept only results from the game server."
          : !Number.isSafeInteger(body.points) || (body.points as number) < type.minPoints || (body.points as number) > max
            ? `points must be an integer from ${type.minPoints} to ${max} for ${body.action_type as string}.`
            : null;
      if (problem) {
        // Uniqueness comes before bounds (docs/api-scores.md): a replay of an accepted action still answers its result.
        const replay = await replayOf(body.action_id, userId);
        if (replay) return replay;
        metrics.scoreUpdates.inc({ source: "client", result: "INVALID_ACTION" });
        throw new AppError("INVALID_ACTION", problem);
      }
      return record({ actionId: body.action_id, userId, actionType: body.action_type as string, board: type!.board, points: body.points as number }, "client");
    },

    async submitGameResult(result: { result_id: string; user_id: string; mode: GameMode; score: number }): Promise<ScoreResult> {
      const type = gameResultType(result.mode);
      const spec = ACTION_TYPES[type];
      if (!Number.isSafeInteger(result.score) || result.score < spec.minPoints || result.score > spec.maxPoints || result.score > MAX_EXACT_SCORE) {
        throw new AppError("INVALID_ACTION", "score out of bounds.");
      }
      return record({ actionId: result.result_id, userId: Number(result.user_id), actionType: type, board: spec.board, points: result.score }, "game");
    },

    async drain(): Promise<void> {
      await batcher.drain();
      await Promise.allSettled([...background]);
    },
  };
}

