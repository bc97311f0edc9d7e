import type { BackendComponent, BackendContext } from "../backend-context.ts";
import { createPointsRepository } from "./points-repository.ts";
import { createProgressionRouter } from "./progression-routes.ts";
import { createProgressionService, type BestPlacementsSource, type ProgressionService } from "./progression-service.ts";

/**
 * Profile points and skins: the ledger-backed service (match credits, the daily login bonus,
 * unlocks, equips, admin adjustments) and its routes. The composition root hands
 * `progression.grantDailyBonus` to the auth component and `progression.creditMatch` to the
 * match-record route.
 */
export function createProgressionComponent(ctx: BackendContext, options: { bestPlacements?: BestPlacementsSource } = {}): BackendComponent & { progression: ProgressionService } {
  const { config, db, log, now } = ctx;
  const progression = createProgressionService({
    repo: createPointsRepository(db),
    now,
    log,
    rules: {
      match: { placementMultipliers: config.PLACEMENT_MULTIPLIERS, stepsParMs: config.STEPS_PAR_MS },
      dailyBonus: { base: config.DAILY_LOGIN_BONUS, streakBonus: config.LOGIN_STREAK_BONUS, streakCap: config.LOGIN_STREAK_CAP },
    },
    batch: { maxBatch: config.POINTS_BATCH_MAX, maxWaitMs: 0, concurrency: config.POINTS_BATCH_CONCURRENCY },
    bestPlacements: options.bestPlacements,
  });
  return {
    name: "progression",
    progression,
    router: createProgressionRouter({ progression, auth: ctx.auth, keys: ctx.keys, config, now }),
    close: () => progression.drain(),
  };
}
