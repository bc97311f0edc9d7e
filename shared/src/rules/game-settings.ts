/**
 * The thresholds every game rule reads. The game server fills them from its config
 * (GAME_DURATION_MS, STEPS_COUNT, BURST_*, LATENCY_ALLOWANCE_MS); a session keeps the
 * settings it was created with, so a config change never alters a running game.
 */
export interface GameSettings {
  /** Length of a timed game (classic, shaky), ms. */
  durationMs: number;
  /** Number of steps of a `steps` game. */
  stepsCount: number;
  /** Longest a `steps` game may run before it is abandoned, ms (it is untimed, not endless). */
  stepsMaxMs: number;
  /** Sliding window over which points are counted for the burst threshold, ms. */
  burstWindowMs: number;
  /** Most accepted points allowed inside one burst window; one more is a burst. */
  burstMaxPoints: number;
  /** Bursts tolerated within `burstPeriodMs`; one more ends the game and flags the player. */
  burstLimit: number;
  /** Period over which bursts are counted, ms. */
  burstPeriodMs: number;
  /** Largest allowed gap between server-elapsed and client-elapsed time of a point, ms. */
  latencyAllowanceMs: number;
}

export const DEFAULT_GAME_SETTINGS: GameSettings = {
  durationMs: 30_000,
  stepsCount: 10,
  stepsMaxMs: 600_000,
  burstWindowMs: 1_000,
  burstMaxPoints: 8,
  burstLimit: 3,
  burstPeriodMs: 10_000,
  latencyAllowanceMs: 1_000,
};

/** The playing field in logical units; clients scale it to their screen. */
export const FIELD = {
  width: 1000,
  height: 1000,
  /** Dot radius: a hit must land within it. */
  dotRadius: 30,
  /** Shaky dot: largest offset from its resting point on each axis. */
  shakeAmplitude: 6,
  /** Shaky dot: a new shake waypoint every this many ms (positions between are interpolated). */
  shakeStepMs: 50,
} as const;
