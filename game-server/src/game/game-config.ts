import { gameRulesFrom } from "@arena/shared/contracts/shared-config";
import type { GameSettings } from "@arena/shared/rules/game-settings";
import type { GameServerConfig } from "../config.ts";

/** The rule thresholds from the game-server config: the keys shared with the backend, plus its own burst limit. */
export function gameSettingsFrom(config: GameServerConfig): GameSettings {
  return gameRulesFrom(config, { burstLimit: config.BURST_LIMIT, burstPeriodMs: config.BURST_PERIOD_MS });
}
