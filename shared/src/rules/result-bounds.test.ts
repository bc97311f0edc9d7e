import assert from "node:assert/strict";
import { GameMode } from "../protocol.ts";
import { DEFAULT_GAME_SETTINGS as S } from "./game-settings.ts";
import { checkResultBounds, maxTimedPoints, type ReportedResult } from "./result-bounds.ts";

const T0 = 1_700_000_000_000;
const timed = (points: number, elapsed = S.durationMs, score = points): ReportedResult => ({ mode: GameMode.Classic, score, points, startedAtMs: T0, endedAtMs: T0 + elapsed });
const steps = (score: number, points = S.stepsCount, elapsed = score): ReportedResult => ({ mode: GameMode.Steps, score, points, startedAtMs: T0, endedAtMs: T0 + elapsed });
const reason = (r: ReportedResult) => {
  const check = checkResultBounds(r, S);
  return check.ok ? "ok" : check.reason;
};

describe("game result bounds", () => {
  it("the burst limits bound a timed game's points: 8 per second over 30 s (+ latency allowance) = 248", () => {
    assert.equal(maxTimedPoints(S, S.durationMs), 248);
    assert.equal(reason(timed(248)), "ok");
    assert.equal(reason(timed(249)), "more_points_than_bursts_allow");
    assert.equal(reason(timed(1_000_000)), "more_points_than_bursts_allow");
  });
  it("a short game bounds tighter", () => {
    assert.equal(reason(timed(16, 1_000)), "ok");
    assert.equal(reason(timed(17, 1_000)), "more_points_than_bursts_allow");
  });
  it("a timed score must be its points", () => {
    assert.equal(reason(timed(10, 5_000, 11)), "score_is_not_points");
    assert.equal(reason({ ...timed(0), mode: GameMode.Shaky }), "ok");
  });
  it("a timed game cannot outlast its duration", () => {
    assert.equal(reason(timed(5, S.durationMs + S.latencyAllowanceMs)), "ok");
    assert.equal(reason(timed(5, S.durationMs + S.latencyAllowanceMs + 1)), "longer_than_the_game");
    assert.equal(reason(timed(5, -1)), "ends_before_start");
  });
  it("steps: a completed course scores its elapsed time, every step hit, within STEPS_MAX_MS", () => {
    assert.equal(reason(steps(9_000)), "ok");
    assert.equal(reason(steps(9_000, S.stepsCount, 30_000)), "steps_time_is_not_elapsed");
    assert.equal(reason(steps(9_000, S.stepsCount - 1)), "steps_time_is_not_elapsed");
    assert.equal(reason(steps(9_000, S.stepsCount + 1)), "more_steps_than_the_course");
    assert.equal(reason(steps(S.stepsMaxMs + 1)), "longer_than_steps_max");
    assert.equal(reason(steps(0, 3, 5_000)), "ok", "an unfinished course scores 0");
  });
});
