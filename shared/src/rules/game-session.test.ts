import assert from "node:assert/strict";
import { DEFAULT_GAME_SETTINGS } from "./game-settings.ts";
import { createSession, currentScore, EndReason, expireSession, GameStatus, startSession } from "./game-session.ts";
import { targetAt } from "./mode-rules.ts";
import { CLIENT_OFFSET, plainTokens, runningSession, T0 } from "../../test-kit/rules-test-kit.ts";

const tokens = plainTokens();
const fresh = () => createSession({ id: "s1", player: "7", mode: "classic", seed: 9, settings: DEFAULT_GAME_SETTINGS, nowMs: T0 });

describe("game session state machine", () => {
  it("starts waiting with no tokens", () => {
    const s = fresh();
    assert.equal(s.status, GameStatus.Waiting);
    assert.equal(s.startToken, null);
    assert.equal(s.target, null);
  });

  it("game_start runs it, sets the deadline and issues a start token bound to session and player", () => {
    const r = startSession(fresh(), 5, T0, tokens);
    assert.ok(!("reject" in r));
    assert.equal(r.session.status, GameStatus.Running);
    assert.equal(r.session.endsAt, T0 + DEFAULT_GAME_SETTINGS.durationMs);
    assert.deepEqual(tokens.open(r.startToken), { sid: "s1", player: "7", kind: "start", n: 0 });
    assert.deepEqual(r.session.target, targetAt("classic", 9, 0));
  });

  it("refuses a second game_start", () => {
    const r = startSession(runningSession("classic", tokens), 0, T0 + 1, tokens);
    assert.deepEqual(r, { reject: "GAME_ALREADY_STARTED" });
  });

  it("refuses to restart an ended game", () => {
    const ended = expireSession(runningSession("classic", tokens), T0 + 60_000, tokens);
    assert.deepEqual(startSession(ended, 0, T0 + 60_001, tokens), { reject: "GAME_OVER" });
  });

  it("does not mutate the session it is given", () => {
    const s = Object.freeze(fresh());
    assert.doesNotThrow(() => startSession(s, 0, T0, tokens));
    assert.equal(s.status, GameStatus.Waiting);
  });

  it("the timer ends a timed game exactly at its deadline with an end token", () => {
    const s = runningSession("classic", tokens);
    assert.equal(expireSession(s, s.endsAt! - 1, tokens).status, GameStatus.Running);
    const ended = expireSession(s, s.endsAt! + 250, tokens);
    assert.equal(ended.status, GameStatus.Ended);
    assert.equal(ended.endReason, EndReason.Timer);
    assert.equal(ended.endedAt, s.endsAt, "a late timer still ends the game at its deadline");
    assert.deepEqual(tokens.open(ended.endToken!), { sid: s.id, player: "7", kind: "end", n: 0 });
  });

  it("steps is untimed: no end before the abandon limit, and a timeout gives no end token", () => {
    const s = runningSession("steps", tokens, { durationMs: 1000, stepsMaxMs: 5000 });
    assert.equal(expireSession(s, T0 + 4999, tokens).status, GameStatus.Running);
    const timedOut = expireSession(s, T0 + 5000, tokens);
    assert.equal(timedOut.endReason, EndReason.Timeout);
    assert.equal(timedOut.endToken, null);
    assert.equal(currentScore(timedOut), 0);
  });

  it("remembers the client clock at start as the timestamp reference", () => {
    assert.equal(runningSession("shaky", tokens).clientStartTs, T0 + CLIENT_OFFSET);
  });
});
