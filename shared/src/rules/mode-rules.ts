import { GameMode } from "../protocol.ts";
import { FIELD } from "./game-settings.ts";
import { hash32, unitFloat } from "./seeded-random.ts";

/** Where the player must hit next. Sent to the client; never holds the session seed. */
export interface Target {
  /** Target index: the n-th dot (classic, shaky) or step (steps), from 0. */
  index: number;
  /** Resting centre, field units. */
  x: number;
  y: number;
  radius: number;
  /** Shaky only: the seed of this dot's shake path (derived, so later dots stay unpredictable). */
  shakeSeed?: number;
  /** Shaky only: amplitude (units) and waypoint spacing (ms) of the shake. */
  shakeAmplitude?: number;
  shakeStepMs?: number;
}

/** A hit as the client reports it. */
export interface Hit {
  /** The target index the player aimed at (must be the current one). */
  target: number;
  x: number;
  y: number;
}

/** Whether a mode runs on a clock (classic, shaky) or until its steps are done (steps). */
export function isTimed(mode: GameMode): boolean {
  return mode !== GameMode.Steps;
}

/** The n-th target of a session; a pure function of the session seed and n. */
export function targetAt(mode: GameMode, seed: number, index: number): Target {
  const margin = FIELD.dotRadius * 2;
  const x = Math.round(margin + unitFloat(seed, index, 1) * (FIELD.width - 2 * margin));
  const y = Math.round(margin + unitFloat(seed, index, 2) * (FIELD.height - 2 * margin));
  const target: Target = { index, x, y, radius: FIELD.dotRadius };
  if (mode === GameMode.Shaky) {
    target.shakeSeed = hash32(seed, index, 3);
    target.shakeAmplitude = FIELD.shakeAmplitude;
    target.shakeStepMs = FIELD.shakeStepMs;
  }
  return target;
}

/**
 * Where a target's centre is `sinceMs` after it appeared. Classic and steps dots rest;
 * a shaky dot moves between seeded waypoints, linearly interpolated, so client and
 * server compute the same path from `shakeSeed`.
 */
export function positionAt(target: Target, sinceMs: number): { x: number; y: number } {
  if (target.shakeSeed === undefined) return { x: target.x, y: target.y };
  const amplitude = target.shakeAmplitude ?? FIELD.shakeAmplitude;
  const stepMs = target.shakeStepMs ?? FIELD.shakeStepMs;
  const t = Math.max(0, sinceMs) / stepMs;
  const frame = Math.floor(t);
  const frac = t - frame;
  const offset = (f: number, axis: number) =>
    f === 0 ? 0 : (unitFloat(target.shakeSeed!, f, axis) * 2 - 1) * amplitude;
  return {
    x: target.x + offset(frame, 1) * (1 - frac) + offset(frame + 1, 1) * frac,
    y: target.y + offset(frame, 2) * (1 - frac) + offset(frame + 1, 2) * frac,
  };
}

/** Whether a hit lands on the target as it was `sinceMs` after it appeared. */
export function isHit(target: Target, hit: Hit, sinceMs: number): boolean {
  if (hit.target !== target.index) return false;
  const centre = positionAt(target, sinceMs);
  const dx = hit.x - centre.x;
  const dy = hit.y - centre.y;
  return dx * dx + dy * dy <= target.radius * target.radius;
}
