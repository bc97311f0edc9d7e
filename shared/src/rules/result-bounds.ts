import type { GameMode } from "../protocol.ts";
import type { GameSettings } from "./game-settings.ts";
import { isTimed } from "./mode-rules.ts";

/** A finished game's result as the game server reports it to the backend. */
export interface ReportedResult {
  mode: GameMode;
  /** classic/shaky: points; steps: elapsed ms of a completed course (0 when not completed). */
  score: number;
  /** Points (hits) accepted. */
  points: number;
  startedAtMs: number;
  endedAtMs: number;
}

/** Why a reported result cannot have come out of a game played by the rules. */
export type ResultBoundReason =
  | "ends_before_start"
  | "score_is_not_points"
  | "longer_than_the_game"
  | "more_points_than_bursts_allow"
  | "more_steps_than_the_course"
  | "steps_time_is_not_elapsed"
  | "longer_than_steps_max";

/**
 * Most points a timed game of `elapsedMs` can hold: no sliding `burstWindowMs` window holds more
 * than `burstMaxPoints` accepted points (one more is a burst and is refused), and the game lasts
 * at most `durationMs` (plus the latency allowance a last point may arrive within).
 */
export function maxTimedPoints(settings: GameSettings, elapsedMs: number): number {
  const span = Math.min(Math.max(0, elapsedMs), settings.durationMs) + settings.latencyAllowanceMs;
  return settings.burstMaxPoints * Math.ceil(span / settings.burstWindowMs);
}

/**
 * Whether a reported result is possible under the mode's rules and `settings` — a bound the
 * backend applies to every result, whoever holds the service credential. Timed modes: the score
 * is the points, the game lasted no longer than its duration, and the points fit the burst limits
 * in that time. Steps: a completed course's score is its elapsed time (at most `stepsMaxMs`) with
 * every step hit; an unfinished one scores 0.
 */
export function checkResultBounds(result: ReportedResult, settings: GameSettings): { ok: true } | { ok: false; reason: ResultBoundReason } {
  const elapsed = result.endedAtMs - result.startedAtMs;
  if (elapsed < 0) return { ok: false, reason: "ends_before_start" };
  if (isTimed(result.mode)) {
    if (result.score !== result.points) return { ok: false, reason: "score_is_not_points" };
    if (elapsed > settings.durationMs + settings.latencyAllowanceMs) return { ok: false, reason: "longer_than_the_game" };
    if (result.points > maxTimedPoints(settings, elapsed)) return { ok: false, reason: "more_points_than_bursts_allow" };
    return { ok: true };
  }
  if (result.points > settings.stepsCount) return { ok: false, reason: "more_steps_than_the_course" };
  if (result.score === 0) return { ok: true };
  if (result.points !== settings.stepsCount || result.score !== elapsed) return { ok: false, reason: "steps_time_is_not_elapsed" };
  if (result.score > settings.stepsMaxMs) return { ok: false, reason: "longer_than_steps_max" };
  return { ok: true };
}
