import { Period } from "@arena/shared";

const DAY_MS = 86_400_000;

/**
 * The storage key of the period that contains `nowMs` (UTC): `"all"`, `"d:2026-11-22"` or the
 * ISO week `"w:2026-W47"`. A new day or week is simply a new key, so periods roll over by
 * themselves; old keys stay in the database as history.
 */
export function periodKey(period: Period, nowMs: number): string {
  if (period === Period.AllTime) return "all";
  if (period === Period.Daily) return `d:${new Date(nowMs).toISOString().slice(0, 10)}`;
  const { year, week } = isoWeek(nowMs);
  return `w:${year}-W${String(week).padStart(2, "0")}`;
}

/** All three period keys a score update touches at `nowMs`. */
export function periodKeys(nowMs: number): string[] {
  return [periodKey(Period.AllTime, nowMs), periodKey(Period.Daily, nowMs), periodKey(Period.Weekly, nowMs)];
}

/** Epoch ms after which a period key can no longer change (Infinity for all-time). */
export function periodEndMs(key: string): number {
  if (key === "all") return Infinity;
  if (key.startsWith("d:")) return Date.parse(`${key.slice(2)}T00:00:00Z`) + DAY_MS;
  const [year, week] = key.slice(2).split("-W").map(Number);
  return isoWeekStartMs(year, week) + 7 * DAY_MS;
}

function isoWeek(nowMs: number): { year: number; week: number } {
  const d = new Date(nowMs);
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - isoWeekStartMs(year, 1) - 3 * DAY_MS) / (7 * DAY_MS));
  return { year, week };
}

function isoWeekStartMs(year: number, week: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Day = (new Date(jan4).getUTCDay() + 6) % 7;
  return jan4 - jan4Day * DAY_MS + (week - 1) * 7 * DAY_MS;
}
