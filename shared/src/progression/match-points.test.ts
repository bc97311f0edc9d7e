import assert from "node:assert/strict";
import { GameMode } from "../protocol.ts";
import { MatchOutcome } from "../contracts/internal-api.ts";
import {
  DEFAULT_PLACEMENT_MULTIPLIERS,
  matchProfilePoints,
  parsePlacementMultipliers,
  placementMultiplier,
  stepsPointsScored,
  type MatchFacts,
  type PlayerFacts,
} from "./match-points.ts";

const rules = { placementMultipliers: DEFAULT_PLACEMENT_MULTIPLIERS, stepsParMs: 60_000 };
const classic: MatchFacts = { mode: GameMode.Classic, solo: false, outcome: MatchOutcome.Completed };
const player = (over: Partial<PlayerFacts> = {}): PlayerFacts => ({ guest: false, score: 10, placement: 1, flagged: false, finished: false, ...over });

describe("placementMultiplier", () => {
  it("pays 3×, 2×, 1.5× for the podium and 1× below it", () => {
    assert.deepEqual([1, 2, 3, 4, 5, 64].map((p) => placementMultiplier(p, false, DEFAULT_PLACEMENT_MULTIPLIERS)), [3, 2, 1.5, 1, 1, 1]);
  });
  it("pays 1× in a solo room, whatever the placement", () => assert.equal(placementMultiplier(1, true, DEFAULT_PLACEMENT_MULTIPLIERS), 1));
  it("pays 0 for placement 0 (called off) and nonsense placements", () => {
    for (const p of [0, -1, 1.5, Number.NaN]) assert.equal(placementMultiplier(p, false, DEFAULT_PLACEMENT_MULTIPLIERS), 0);
  });
  it("follows configured multipliers", () => assert.deepEqual([1, 2, 3].map((p) => placementMultiplier(p, false, [5, 0.5])), [5, 0.5, 1]));
});

describe("matchProfilePoints", () => {
  it("is multiplier × points scored", () => {
    assert.equal(matchProfilePoints(classic, player({ score: 17, placement: 1 }), rules), 51);
    assert.equal(matchProfilePoints(classic, player({ score: 17, placement: 2 }), rules), 34);
    assert.equal(matchProfilePoints(classic, player({ score: 17, placement: 4 }), rules), 17);
  });
  it("rounds down", () => assert.equal(matchProfilePoints(classic, player({ score: 7, placement: 3 }), rules), 10));
  it("pays a solo winner 1×", () => assert.equal(matchProfilePoints({ ...classic, solo: true }, player({ score: 17 }), rules), 17));
  it("pays guests nothing", () => assert.equal(matchProfilePoints(classic, player({ guest: true }), rules), 0));
  it("pays an anti-cheat-flagged player nothing", () => assert.equal(matchProfilePoints(classic, player({ flagged: true }), rules), 0));
  it("pays nothing for a called-off match", () => {
    assert.equal(matchProfilePoints({ ...classic, outcome: MatchOutcome.CalledOff }, player({ placement: 0 }), rules), 0);
    assert.equal(matchProfilePoints({ ...classic, outcome: MatchOutcome.CalledOff }, player({ placement: 1 }), rules), 0);
  });
  it("pays nothing for a zero or negative score", () => {
    assert.equal(matchProfilePoints(classic, player({ score: 0 }), rules), 0);
    assert.equal(matchProfilePoints(classic, player({ score: -5 }), rules), 0);
  });
  it("converts a steps finish into points scored before multiplying", () => {
    const steps = { ...classic, mode: GameMode.Steps };
    assert.equal(matchProfilePoints(steps, player({ score: 15_000, finished: true, placement: 1 }), rules), 3 * 46);
    assert.equal(matchProfilePoints(steps, player({ score: 0, finished: false, placement: 2 }), rules), 0);
  });
});

describe("stepsPointsScored", () => {
  it("is 0 without completing the course", () => assert.equal(stepsPointsScored(false, 5_000, 60_000), 0));
  it("is 1 plus whole seconds under par", () => {
    assert.equal(stepsPointsScored(true, 15_000, 60_000), 46);
    assert.equal(stepsPointsScored(true, 59_001, 60_000), 1);
    assert.equal(stepsPointsScored(true, 58_999, 60_000), 2);
  });
  it("still pays 1 for completing slower than par", () => assert.equal(stepsPointsScored(true, 600_000, 60_000), 1));
  it("refuses nonsense times", () => {
    assert.equal(stepsPointsScored(true, -1, 60_000), 0);
    assert.equal(stepsPointsScored(true, Number.NaN, 60_000), 0);
  });
});

describe("parsePlacementMultipliers", () => {
  it("reads comma-separated numbers", () => assert.deepEqual(parsePlacementMultipliers("3, 2,1.5"), [3, 2, 1.5]));
  for (const bad of ["", "3,,2", "a", "-1", "1e3", "101", "3;2"]) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.equal(parsePlacementMultipliers(bad), undefined));
  }
});
