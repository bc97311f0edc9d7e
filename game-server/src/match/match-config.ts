import type { GameServerConfig } from "../config.ts";
import type { MatchSettings } from "./match-controller.ts";

/** The match thresholds from the game-server config. */
export function matchSettingsFrom(config: GameServerConfig): MatchSettings {
  return {
    countdownMs: config.MATCH_COUNTDOWN_MS,
    resultsMs: config.MATCH_RESULTS_MS,
    submitGraceMs: config.MATCH_SUBMIT_GRACE_MS,
    inactiveMs: config.PLAYER_INACTIVE_MS,
    sweepMs: config.ROOM_SWEEP_MS,
    idleMs: config.ROOM_IDLE_TIMEOUT * 1000,
    chatMaxPerWindow: config.CHAT_MAX_PER_WINDOW,
    chatWindowMs: config.CHAT_WINDOW_MS,
    chatFlushMs: config.CHAT_FLUSH_MS,
  };
}
