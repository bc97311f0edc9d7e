import assert from "node:assert/strict";
import {
  backToLobby, beginRunning, callOffRound, callsOff, chooseHost, finishRound, initialFlow, isActive, isRoomIdle,
  startLoneRound, startRound, type MatchFlow, type SeatFacts,
} from "./match-flow.ts";

const T0 = 1_800_000_000_000;
const lobby = (host = "h"): MatchFlow => ({ ...initialFlow(), host });
const flowOf = (result: ReturnType<typeof startRound>) => {
  if ("reject" in result) throw new Error(result.reject);
  return result.flow;
};

describe("match flow", () => {
  it("the host starts a round in lobby: countdown with its players, then running, results, lobby", () => {
    const counting = flowOf(startRound(lobby(), "h", ["h", "p"], T0, 3000));
    assert.deepEqual([counting.phase, counting.round, counting.startsAt, counting.players], ["countdown", 1, T0 + 3000, ["h", "p"]]);
    const running = beginRunning(counting);
    assert.equal(running.phase, "running");
    const results = finishRound(running, T0 + 9000);
    assert.deepEqual([results.phase, results.endedAt], ["results", T0 + 9000]);
    const next = backToLobby(results);
    assert.equal(next.phase, "lobby");
    assert.equal(flowOf(startRound(next, "h", ["h"], T0 + 20_000, 3000)).round, 2);
  });

  it("refuses start_match from a non-host (NOT_HOST) and outside lobby (WRONG_PHASE)", () => {
    assert.deepEqual(startRound(lobby(), "p", ["h", "p"], T0, 3000), { reject: "NOT_HOST" });
    const counting = flowOf(startRound(lobby(), "h", ["h", "p"], T0, 3000));
    assert.deepEqual(startRound(counting, "h", ["h", "p"], T0, 3000), { reject: "WRONG_PHASE" });
    assert.deepEqual(startRound(beginRunning(counting), "h", ["h"], T0, 3000), { reject: "WRONG_PHASE" });
    assert.deepEqual(startRound(finishRound(beginRunning(counting), T0), "h", ["h"], T0, 3000), { reject: "WRONG_PHASE" });
    // The host check comes first: a non-host learns they are not the host whatever the phase.
    assert.deepEqual(startRound(counting, "p", ["h", "p"], T0, 3000), { reject: "NOT_HOST" });
  });

  it("a lone player starts at once from lobby or results, never with others seated or mid-round", () => {
    const alone = flowOf(startLoneRound(lobby("h"), "h", 1, T0));
    assert.deepEqual([alone.phase, alone.startsAt, alone.players], ["countdown", T0, ["h"]]);
    const again = flowOf(startLoneRound(finishRound(beginRunning(alone), T0 + 1), "h", 1, T0 + 2));
    assert.equal(again.round, 2);
    assert.deepEqual(startLoneRound(lobby("h"), "h", 2, T0), { reject: "SOLO_START_ONLY" });
    assert.deepEqual(startLoneRound(beginRunning(alone), "h", 1, T0), { reject: "WRONG_PHASE" });
  });

  it("transitions out of the wrong phase change nothing", () => {
    const l = lobby();
    assert.equal(beginRunning(l), l);
    assert.equal(finishRound(l, T0), l);
    assert.equal(backToLobby(l), l);
    assert.equal(callOffRound(l, T0), l);
  });

  it("a two-player round under way is called off when one of its players goes; others are not", () => {
    const counting = flowOf(startRound(lobby(), "h", ["h", "p"], T0, 3000));
    assert.equal(callsOff(counting, "p"), true);
    assert.equal(callsOff(beginRunning(counting), "h"), true);
    assert.equal(callsOff(beginRunning(counting), "watcher"), false);
    assert.equal(callsOff(finishRound(beginRunning(counting), T0), "p"), false, "after the end there is nothing to call off");
    const three = beginRunning(flowOf(startRound(lobby(), "h", ["h", "p", "q"], T0, 0)));
    assert.equal(callsOff(three, "p"), false);
    const off = callOffRound(beginRunning(counting), T0 + 5);
    assert.deepEqual([off.phase, off.endedAt, off.round], ["lobby", T0 + 5, 1]);
  });

  it("activity: a player is away after inactiveMs without a message; a room is idle after idleMs", () => {
    assert.equal(isActive(T0, T0 + 29_999, 30_000), true);
    assert.equal(isActive(T0, T0 + 30_000, 30_000), false);
    assert.equal(isRoomIdle(T0, T0 + 3_599_999, 3_600_000), false);
    assert.equal(isRoomIdle(T0, T0 + 3_600_000, 3_600_000), true);
  });

  describe("chooseHost", () => {
    const seat = (id: string, seatedAt: number, lastSeenAt = T0): SeatFacts => ({ id, seatedAt, lastSeenAt, connected: true });

    it("keeps an active host", () => {
      assert.equal(chooseHost("b", [seat("a", 1), seat("b", 2)], T0, 30_000), "b");
    });

    it("passes to the longest-seated active player when the host left", () => {
      assert.equal(chooseHost("gone", [seat("c", 3), seat("a", 1), seat("b", 2)], T0, 30_000), "a");
    });

    it("passes on when the host is inactive, skipping inactive seniors", () => {
      const seats = [seat("host", 1, T0 - 40_000), seat("idle", 2, T0 - 31_000), seat("fresh", 3, T0)];
      assert.equal(chooseHost("host", seats, T0, 30_000), "fresh");
    });

    it("keeps an inactive host when nobody is active; empty room: nobody", () => {
      assert.equal(chooseHost("a", [seat("a", 1, T0 - 60_000), seat("b", 2, T0 - 60_000)], T0, 30_000), "a");
      assert.equal(chooseHost("gone", [seat("b", 2, T0 - 60_000), seat("a", 1, T0 - 60_000)], T0, 30_000), "a");
      assert.equal(chooseHost("", [seat("x", 1)], T0, 30_000), "x");
      assert.equal(chooseHost("a", [], T0, 30_000), "");
    });
  });
});
