const DAY_MS = 86_400_000;

/** The UTC calendar day of an instant, "YYYY-MM-DD". */
export function utcDayKey(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

/** The UTC day before `day` ("YYYY-MM-DD"). */
export function previousUtcDay(day: string): string {
  return utcDayKey(Date.parse(`${day}T00:00:00.000Z`) - DAY_MS);
}

/** A player's login-bonus state. */
export interface StreakState {
  /** Consecutive UTC days with a bonus, ending at `lastBonusDay`. */
  streak: number;
  /** The last UTC day a bonus was granted, or null. */
  lastBonusDay: string | null;
}

/** Tuning of the daily bonus (from the backend config). */
export interface DailyBonusRules {
  /** Points for the first sign-in of a UTC day. */
  base: number;
  /** Extra points per consecutive day after the first. */
  streakBonus: number;
  /** Most consecutive days that add `streakBonus` (the cap). */
  streakCap: number;
}

/** A bonus due today: the new streak and the points. */
export interface DailyBonusDue {
  day: string;
  streak: number;
  amount: number;
}

/**
 * The daily bonus due at `nowMs`, or null when today's was already granted. The streak counts
 * consecutive UTC days: it grows by one when the last bonus was yesterday, else restarts at 1.
 * Amount = base + streakBonus × min(streak − 1, streakCap).
 */
export function dailyBonusDue(state: StreakState, nowMs: number, rules: DailyBonusRules): DailyBonusDue | null {
  const day = utcDayKey(nowMs);
  if (state.lastBonusDay !== null && state.lastBonusDay >= day) return null;
  const streak = state.lastBonusDay === previousUtcDay(day) ? state.streak + 1 : 1;
  return { day, streak, amount: rules.base + rules.streakBonus * Math.min(streak - 1, rules.streakCap) };
}

/** The streak as a profile shows it on `nowMs`: 0 once a whole UTC day passed without a bonus. */
export function currentStreak(state: StreakState, nowMs: number): number {
  if (state.lastBonusDay === null) return 0;
  const day = utcDayKey(nowMs);
  return state.lastBonusDay === day || state.lastBonusDay === previousUtcDay(day) ? state.streak : 0;
}
