import type { GameMode } from "../protocol.ts";
import { isTimed } from "../rules/mode-rules.ts";

/** One player's final facts of a round, as placement needs them. */
export interface PlacementEntry {
  id: string;
  /** classic/shaky: points; steps: elapsed ms of a completed course. */
  score: number;
  /** steps: completed the course. Ignored for timed modes. */
  finished: boolean;
  /** Stopped by the burst anti-cheat. */
  flagged: boolean;
}

/**
 * Places a round's players 1, 2, 3…; equal results share a placement and the next one skips
 * (1, 1, 3). Timed modes: more points first. steps: shorter completed time first, then every
 * non-finisher (tied). A player stopped by the anti-cheat is placed after everyone else.
 */
export function placeRound(mode: GameMode, entries: readonly PlacementEntry[]): Map<string, number> {
  const timed = isTimed(mode);
  const tier = (e: PlacementEntry) => (e.flagged ? 2 : !timed && !e.finished ? 1 : 0);
  // Lower key is better; within tiers 1 and 2 everyone ties.
  const key = (e: PlacementEntry): [number, number] => {
    const t = tier(e);
    if (t > 0) return [t, 0];
    return [0, timed ? -e.score : e.score];
  };
  const sorted = [...entries].sort((a, b) => compare(key(a), key(b)));
  const placements = new Map<string, number>();
  sorted.forEach((entry, index) => {
    const previous = sorted[index - 1];
    const tied = previous !== undefined && compare(key(previous), key(entry)) === 0;
    placements.set(entry.id, tied ? placements.get(previous.id)! : index + 1);
  });
  return placements;
}

function compare(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
