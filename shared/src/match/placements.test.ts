import assert from "node:assert/strict";
import { placeRound, type PlacementEntry } from "./placements.ts";

const entry = (id: string, score: number, extra: Partial<PlacementEntry> = {}): PlacementEntry => ({ id, score, finished: true, flagged: false, ...extra });
const places = (map: Map<string, number>) => Object.fromEntries(map);

describe("placeRound", () => {
  it("timed modes: more points place better", () => {
    assert.deepEqual(places(placeRound("classic", [entry("a", 3), entry("b", 7), entry("c", 5)])), { b: 1, c: 2, a: 3 });
  });

  it("ties share a placement and the next one skips", () => {
    assert.deepEqual(places(placeRound("shaky", [entry("a", 5), entry("b", 5), entry("c", 2)])), { a: 1, b: 1, c: 3 });
    assert.deepEqual(places(placeRound("classic", [entry("a", 0), entry("b", 0)])), { a: 1, b: 1 });
  });

  it("steps: the shorter completed time wins; non-finishers after every finisher, tied", () => {
    const result = placeRound("steps", [
      entry("slow", 9000), entry("fast", 4000),
      entry("quit", 0, { finished: false }), entry("lost", 0, { finished: false }),
    ]);
    assert.deepEqual(places(result), { fast: 1, slow: 2, quit: 3, lost: 3 });
  });

  it("timed modes ignore `finished`", () => {
    assert.deepEqual(places(placeRound("classic", [entry("a", 4, { finished: false }), entry("b", 2)])), { a: 1, b: 2 });
  });

  it("a burst-caught player is placed last even with the best score, after non-finishers too", () => {
    assert.deepEqual(places(placeRound("classic", [entry("cheat", 99, { flagged: true }), entry("a", 1)])), { a: 1, cheat: 2 });
    const steps = placeRound("steps", [entry("cheat", 100, { flagged: true, finished: false }), entry("dnf", 0, { finished: false }), entry("ok", 5000)]);
    assert.deepEqual(places(steps), { ok: 1, dnf: 2, cheat: 3 });
  });

  it("several flagged players share the last place; a lone player is first", () => {
    assert.deepEqual(places(placeRound("classic", [entry("x", 9, { flagged: true }), entry("y", 1, { flagged: true }), entry("a", 0)])), { a: 1, x: 2, y: 2 });
    assert.deepEqual(places(placeRound("steps", [entry("solo", 0, { finished: false })])), { solo: 1 });
    assert.equal(placeRound("classic", []).size, 0);
  });
});
