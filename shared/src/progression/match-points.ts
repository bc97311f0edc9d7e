import { GameMode } from "../protocol.ts";
import { MatchOutcome } from "../contracts/internal-api.ts";

/** The default profile-point multipliers by placement: 1st 3×, 2nd 2×, 3rd 1.5×; every later place 1×. */
export const DEFAULT_PLACEMENT_MULTIPLIERS: readonly number[] = [3, 2, 1.5];

/** What the match rules need to know about a match (a subset of a match record). */
export interface MatchFacts {
  mode: GameMode;
  /** A room of one seat: multipliers do not apply. */
  solo: boolean;
  outcome: MatchOutcome;
}

/** What the match rules need to know about one player's line. */
export interface PlayerFacts {
  guest: boolean;
  /** classic/shaky: points; steps: elapsed ms (0 when not finished). */
  score: number;
  /** 1, 2, 3… (ties share one); 0 when the match was called off. */
  placement: number;
  /** Caught by the anti-cheat. */
  flagged: boolean;
  /** steps only: completed the course. */
  finished: boolean;
}

/** Tuning of the match rules (from the backend config). */
export interface MatchPointRules {
  /** Multiplier of placement i+1; places beyond the list pay 1×. */
  placementMultipliers: readonly number[];
  /** Steps: every whole second under this time is one point, ms. */
  stepsParMs: number;
}

/** The multiplier of a placement: solo rooms and places beyond the list pay 1×; placement 0 (called off) pays 0. */
export function placementMultiplier(placement: number, solo: boolean, multipliers: readonly number[]): number {
  if (!Number.isInteger(placement) || placement < 1) return 0;
  if (solo) return 1;
  return multipliers[placement - 1] ?? 1;
}

/**
 * "Points scored" in a steps game, from completion and time: nothing without completing the
 * course; otherwise 1 for completing plus one per whole second the finish time is under
 * `parMs` (a 15 s finish with the default 60 s par scores 1 + 45 = 46).
 */
export function stepsPointsScored(finished: boolean, elapsedMs: number, parMs: number): number {
  if (!finished || !Number.isFinite(elapsedMs) || elapsedMs < 0) return 0;
  return 1 + Math.floor(Math.max(0, parMs - elapsedMs) / 1000);
}

/** "Points scored" of one player: the game's points, or the steps conversion. */
export function pointsScored(mode: GameMode, player: Pick<PlayerFacts, "score" | "finished">, rules: MatchPointRules): number {
  if (mode === GameMode.Steps) return stepsPointsScored(player.finished, player.score, rules.stepsParMs);
  return Number.isFinite(player.score) && player.score > 0 ? Math.floor(player.score) : 0;
}

/**
 * Profile points one player earns from a match: multiplier(placement) × points scored, rounded
 * down. Guests, anti-cheat-flagged players and called-off matches earn 0.
 */
export function matchProfilePoints(match: MatchFacts, player: PlayerFacts, rules: MatchPointRules): number {
  if (player.guest || player.flagged || match.outcome !== MatchOutcome.Completed) return 0;
  const multiplier = placementMultiplier(player.placement, match.solo, rules.placementMultipliers);
  return Math.floor(multiplier * pointsScored(match.mode, player, rules));
}

/**
 * Parses a PLACEMENT_MULTIPLIERS value: comma-separated multipliers for 1st, 2nd, 3rd…
 * (each a finite number from 0 to 100). Returns undefined when malformed.
 */
export function parsePlacementMultipliers(raw: string): number[] | undefined {
  const parts = raw.split(",").map((p) => p.trim());
  if (parts.length === 0 || parts.length > 64 || parts.some((p) => !/^\d{1,3}(\.\d{1,3})?$/.test(p))) return undefined;
  const values = parts.map(Number);
  return values.every((v) => v >= 0 && v <= 100) ? values : undefined;
}
