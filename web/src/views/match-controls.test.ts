import assert from "node:assert/strict";
import { MatchPhase } from "@arena/shared/protocol";
import type { MatchSnapshot, SeatView } from "../net/match-channel.ts";
import { matchControls } from "./match-controls.ts";

const seat = (sessionId: string, patch: Partial<SeatView> = {}): SeatView => ({
  sessionId, nick: `nick-${sessionId}`, guest: false, connected: true, ready: false, active: true, playing: false,
  score: 0, points: 0, bursts: 0, flagged: false, status: "waiting", endsAt: 0, placement: 0, skin: "", ...patch,
});
const room = (patch: Partial<MatchSnapshot>): MatchSnapshot => ({
  me: "a", code: "ABCD", mode: "classic", solo: false, phase: MatchPhase.Lobby, host: "a", round: 0, startsAt: 0, endsAt: 0,
  players: [seat("a"), seat("b")], ...patch,
});

describe("match controls", () => {
  it("lets the host start a match in lobby and counts who is ready", () => {
    const c = matchControls(room({ players: [seat("a"), seat("b", { ready: true }), seat("c")] }), false);
    assert.deepEqual(c.start, { enabled: true, label: "Start match", action: "start_match", reason: "1 of 2 other players are ready." });
    assert.equal(c.ready.shown, false);
  });

  it("keeps Start off for everyone else, naming the host, and offers the ready badge", () => {
    const c = matchControls(room({ me: "b" }), false);
    assert.equal(c.start.enabled, false);
    assert.equal(c.start.reason, "Only the host (nick-a) can start the match.");
    assert.deepEqual(c.ready, { shown: true, ready: false });
  });

  it("lets a lone player or a solo room start at once with game_start, even while results show", () => {
    for (const snapshot of [room({ players: [seat("a")] }), room({ solo: true, players: [seat("a")], phase: MatchPhase.Results })]) {
      const c = matchControls(snapshot, false);
      assert.equal(c.start.enabled, true);
      assert.equal(c.start.action, "game_start");
    }
  });

  it("turns Start off during the countdown and the round, after results for a host with others, and while a start is pending", () => {
    assert.equal(matchControls(room({ phase: MatchPhase.Countdown }), false).start.enabled, false);
    assert.match(matchControls(room({ phase: MatchPhase.Running, me: "b" }), false).start.reason, /you'll play the next one/);
    assert.match(matchControls(room({ phase: MatchPhase.Results }), false).start.reason, /once the results close/);
    assert.equal(matchControls(room({ players: [seat("a")] }), true).start.enabled, false);
  });

  it("has nothing to start before this page has a seat", () => {
    assert.equal(matchControls(room({ me: "" }), false).start.enabled, false);
  });
});
