import assert from "node:assert/strict";
import { acceptPoint, type AcceptResult } from "./accept-point.ts";
import { createSession, EndReason, GameStatus, type GameSession } from "./game-session.ts";
import { DEFAULT_GAME_SETTINGS } from "./game-settings.ts";
import { positionAt } from "./mode-rules.ts";
import { CLIENT_OFFSET, hitNow, plainTokens, runningSession, T0 } from "../../test-kit/rules-test-kit.ts";

const tokens = plainTokens();
const burst = { burstWindowMs: 1000, burstMaxPoints: 3, burstLimit: 2, burstPeriodMs: 10_000 };

function accepted(r: AcceptResult) {
  if ("reject" in r) throw new Error(`rejected: ${r.reject}`);
  return r;
}
/** Scores `count` hits `gapMs` apart from `from`; returns the session and the next time. */
function play(session: GameSession, from: number, count: number, gapMs: number) {
  let now = from;
  for (let i = 0; i < count; i++, now += gapMs) session = accepted(acceptPoint(session, hitNow(session, now), now, tokens)).session;
  return { session, now };
}

describe("acceptPoint", () => {
  it("accepts a hit with a token bound to session, player and index, and moves the dot", () => {
    const s = runningSession("classic", tokens);
    const r = accepted(acceptPoint(s, hitNow(s, T0 + 100), T0 + 100, tokens));
    assert.deepEqual(tokens.open(r.token), { sid: s.id, player: "7", kind: "point", n: 0 });
    assert.deepEqual(r.session.points.toArray(), [{ token: r.token, n: 0, serverTs: T0 + 100, clientTs: T0 + 100 + CLIENT_OFFSET }]);
    assert.equal(r.session.target!.index, 1);
    assert.notDeepEqual([r.session.target!.x, r.session.target!.y], [s.target!.x, s.target!.y]);
    assert.equal(r.session.targetSince, T0 + 100);
  });

  it("refuses points before game_start", () => {
    const s = createSession({ id: "w", player: "7", mode: "classic", seed: 1, settings: DEFAULT_GAME_SETTINGS, nowMs: T0 });
    const r = acceptPoint(s, { target: 0, x: 0, y: 0, clientTs: 1 }, T0, tokens);
    assert.equal("reject" in r && r.reject, "GAME_NOT_STARTED");
  });

  it("refuses a point arriving at the deadline even if the timer has not fired, and ends the game", () => {
    const s = runningSession("classic", tokens, { durationMs: 1000 });
    const r = acceptPoint(s, hitNow(s, T0 + 1000), T0 + 1000, tokens);
    assert.equal("reject" in r && r.reject, "GAME_OVER");
    assert.equal(r.session.status, GameStatus.Ended);
    assert.ok(r.session.endToken);
  });

  it("refuses points after the end", () => {
    const s = runningSession("classic", tokens, { durationMs: 1000 });
    const ended = acceptPoint(s, hitNow(s, T0 + 1500), T0 + 1500, tokens).session;
    const r = acceptPoint(ended, hitNow(s, T0 + 1600), T0 + 1600, tokens);
    assert.equal("reject" in r && r.reject, "GAME_OVER");
  });

  it("refuses a miss and a stale target index", () => {
    const s = runningSession("classic", tokens);
    const t = s.target!;
    const miss = acceptPoint(s, { ...hitNow(s, T0 + 10), x: t.x + t.radius + 1 }, T0 + 10, tokens);
    assert.equal("reject" in miss && miss.reject, "POINT_REJECTED");
    const stale = acceptPoint(s, { ...hitNow(s, T0 + 10), target: 5 }, T0 + 10, tokens);
    assert.equal("reject" in stale && stale.reject, "POINT_REJECTED");
  });

  it("a replayed hit (same click twice) scores once", () => {
    const s = runningSession("classic", tokens);
    const p = hitNow(s, T0 + 10);
    const first = accepted(acceptPoint(s, p, T0 + 10, tokens));
    const again = acceptPoint(first.session, p, T0 + 20, tokens);
    assert.equal("reject" in again && again.reject, "POINT_REJECTED");
    assert.equal(again.session.points.length, 1);
  });

  it("accepts latency within the allowance and refuses skew beyond it, both ways", () => {
    const s = runningSession("classic", tokens, { latencyAllowanceMs: 200 });
    const at = T0 + 5000;
    assert.ok(!("reject" in acceptPoint(s, { ...hitNow(s, at), clientTs: at + CLIENT_OFFSET - 200 }, at, tokens)));
    const late = acceptPoint(s, { ...hitNow(s, at), clientTs: at + CLIENT_OFFSET - 201 }, at, tokens);
    assert.equal("reject" in late && late.reject, "CLOCK_SKEW");
    const ahead = acceptPoint(s, { ...hitNow(s, at), clientTs: at + CLIENT_OFFSET + 201 }, at, tokens);
    assert.equal("reject" in ahead && ahead.reject, "CLOCK_SKEW");
  });

  it("refuses a client clock running backwards between points or before the start", () => {
    const s = runningSession("classic", tokens);
    const one = accepted(acceptPoint(s, hitNow(s, T0 + 500), T0 + 500, tokens)).session;
    const back = acceptPoint(one, { ...hitNow(one, T0 + 600), clientTs: T0 + 499 + CLIENT_OFFSET }, T0 + 600, tokens);
    assert.equal("reject" in back && back.reject, "CLOCK_SKEW");
    const before = acceptPoint(s, { ...hitNow(s, T0 + 10), clientTs: T0 + CLIENT_OFFSET - 1 }, T0 + 10, tokens);
    assert.equal("reject" in before && before.reject, "CLOCK_SKEW");
  });

  it("refuses a point beyond the burst threshold and records the burst with its timestamp", () => {
    const { session, now } = play(runningSession("classic", tokens, burst), T0 + 100, 3, 10);
    const r = acceptPoint(session, hitNow(session, now), now, tokens);
    assert.equal("reject" in r && r.reject, "BURST_DETECTED");
    assert.deepEqual(r.session.bursts, [now]);
    assert.equal(r.session.points.length, 3);
    assert.equal(r.session.status, GameStatus.Running);
  });

  it("points spaced under the threshold never burst", () => {
    const { session } = play(runningSession("classic", tokens, burst), T0 + 100, 20, 334);
    assert.equal(session.points.length, 20);
    assert.deepEqual(session.bursts, []);
  });

  it("the window slides: old attempts stop counting", () => {
    const { session, now } = play(runningSession("classic", tokens, burst), T0 + 100, 3, 10);
    const later = now + 1000;
    assert.ok(!("reject" in acceptPoint(session, hitNow(session, later), later, tokens)));
  });

  it("one burst episode is recorded once per window", () => {
    let { session, now } = play(runningSession("classic", tokens, burst), T0 + 100, 3, 10);
    for (let i = 0; i < 5; i++, now += 10) session = acceptPoint(session, hitNow(session, now), now, tokens).session;
    assert.equal(session.bursts.length, 1);
  });

  it("more bursts than the limit within the period end the game with flag evidence and no end token", () => {
    let session = runningSession("classic", tokens, burst);
    let now = T0 + 100;
    let last: AcceptResult | undefined;
    for (let episode = 0; episode < 3; episode++) {
      for (let i = 0; i < 4 && session.status === GameStatus.Running; i++, now += 5) {
        last = acceptPoint(session, hitNow(session, now), now, tokens);
        session = last.session;
      }
      now += 1100;
    }
    assert.equal(last && "reject" in last && last.reject, "BURST_DETECTED");
    assert.equal(session.status, GameStatus.Ended);
    assert.equal(session.endReason, EndReason.BurstAbuse);
    assert.equal(session.endToken, null);
    assert.equal(session.flag?.reason, "BURST_ABUSE");
    assert.equal((session.flag?.bursts as number[]).length, 3);
    const after = acceptPoint(session, { target: 0, x: 0, y: 0, clientTs: now + CLIENT_OFFSET }, now, tokens);
    assert.equal("reject" in after && after.reject, "GAME_OVER");
  });

  it("bursts older than the period do not add up", () => {
    let session = runningSession("classic", tokens, { ...burst, burstPeriodMs: 2000, durationMs: 60_000 });
    let now = T0 + 100;
    for (let episode = 0; episode < 6; episode++) {
      for (let i = 0; i < 4; i++, now += 5) session = acceptPoint(session, hitNow(session, now), now, tokens).session;
      now += 2500;
    }
    assert.equal(session.bursts.length, 6);
    assert.equal(session.status, GameStatus.Running);
  });

  it("steps: hits in order complete the game with the elapsed time as score", () => {
    const { session } = play(runningSession("steps", tokens, { stepsCount: 4 }), T0 + 1000, 4, 500);
    assert.equal(session.status, GameStatus.Ended);
    assert.equal(session.endReason, EndReason.Completed);
    assert.equal(session.endedAt! - session.startedAt!, 2500);
    assert.ok(session.endToken);
  });

  it("steps: out of order is refused", () => {
    const s = runningSession("steps", tokens);
    const r = acceptPoint(s, { ...hitNow(s, T0 + 10), target: 1 }, T0 + 10, tokens);
    assert.equal("reject" in r && r.reject, "POINT_REJECTED");
  });

  it("steps: the game is untimed (a point long after the timed duration counts)", () => {
    const s = runningSession("steps", tokens, { durationMs: 1000 });
    assert.ok(!("reject" in acceptPoint(s, hitNow(s, T0 + 120_000), T0 + 120_000, tokens)));
  });

  it("shaky: the hit is judged where the dot was at the client's moment, not at rest", () => {
    const s = runningSession("shaky", tokens);
    const t = s.target!;
    let since = 0;
    let p = positionAt(t, since);
    while (Math.hypot(p.x - t.x, p.y - t.y) < 4) p = positionAt(t, (since += 10));
    const d = Math.hypot(p.x - t.x, p.y - t.y);
    const hit = { target: 0, x: p.x + ((p.x - t.x) / d) * (t.radius - 0.5), y: p.y + ((p.y - t.y) / d) * (t.radius - 0.5) };
    const at = T0 + since;
    assert.ok(!("reject" in acceptPoint(s, { ...hit, clientTs: at + CLIENT_OFFSET }, at + 40, tokens)));
    const atRest = acceptPoint(s, { ...hit, clientTs: T0 + CLIENT_OFFSET }, T0 + 40, tokens);
    assert.equal("reject" in atRest && atRest.reject, "POINT_REJECTED");
  });

  it("refuses non-finite numbers", () => {
    const s = runningSession("classic", tokens);
    const r = acceptPoint(s, { ...hitNow(s, T0 + 10), x: Number.NaN }, T0 + 10, tokens);
    assert.equal("reject" in r && r.reject, "VALIDATION_FAILED");
  });

  it("sessions are values: points accepted from an old version and from the newest leave every version as it was", () => {
    const { session: old, now } = play(runningSession("classic", tokens), T0 + 100, 3, 200);
    const snapshot = (x: GameSession) => JSON.stringify({ points: x.points, recent: x.recent, bursts: x.bursts, target: x.target });
    const before = snapshot(old);
    const tip = play(old, now, 2, 200);
    const branch = play(old, now + 50, 1, 200);
    const tip2 = play(tip.session, tip.now, 1, 200);
    const branch2 = play(branch.session, branch.now, 2, 200);
    assert.equal(snapshot(old), before);
    assert.deepEqual([old, tip.session, branch.session, tip2.session, branch2.session].map((x) => x.points.length), [3, 5, 4, 6, 6]);
    assert.deepEqual(branch2.session.points.map((p) => p.serverTs), [T0 + 100, T0 + 300, T0 + 500, now + 50, now + 250, now + 450]);
    assert.deepEqual(tip2.session.points.map((p) => p.serverTs), [T0 + 100, T0 + 300, T0 + 500, now, now + 200, now + 400]);
    assert.deepEqual(tip.session.recent.toArray(), [T0 + 100, T0 + 300, T0 + 500, now, now + 200].filter((t) => t > now + 200 - 1000));
    assert.deepEqual(old.recent.toArray(), [T0 + 100, T0 + 300, T0 + 500]);
    // The client clock may not run backwards: each version checks against its own last point.
    const late = acceptPoint(old, hitNow(old, now + 10), now + 10, tokens);
    assert.ok(!("reject" in late), "the old version's last point is its own, not a newer version's");
  });

  it("a long game keeps every point and a burst window of the attempts inside it only", () => {
    const { session } = play(runningSession("classic", tokens, { durationMs: 3_600_000, burstMaxPoints: 1_000_000 }), T0 + 100, 5000, 3);
    assert.equal(session.points.length, 5000);
    assert.deepEqual([session.points.at(0)!.n, session.points.at(-1)!.n], [0, 4999]);
    assert.equal(session.recent.length, Math.ceil(1000 / 3));
  });
});
