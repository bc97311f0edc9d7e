import type { GameSettings } from "@arena/shared/rules/game-settings";
import type { GameServerConfig } from "../config.ts";

/** The rule thresholds from the game-server config. */
export function gameSettingsFrom(config: GameServerConfig): GameSettings {
  return {
    durationMs: config.GAME_DURATION_MS,
    stepsCount: config.STEPS_COUNT,
    stepsMaxMs: config.STEPS_MAX_MS,
    burstWindowMs: config.BURST_WINDOW_MS,
    burstMaxPoints: config.BURST_MAX_POINTS,
    burstLimit: config.BURST_LIMIT,
    burstPeriodMs: config.BURST_PERIOD_MS,
    latencyAllowanceMs: config.LATENCY_ALLOWANCE_MS,
  };
}
