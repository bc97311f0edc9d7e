import assert from "node:assert/strict";
import { acceptPoint } from "./accept-point.ts";
import { AppendLog } from "./append-log.ts";
import { expireSession, type GameSession } from "./game-session.ts";
import { TokenKind } from "./game-tokens.ts";
import { CLIENT_OFFSET, hitNow, plainTokens, runningSession, T0 } from "../../test-kit/rules-test-kit.ts";
import { validateSubmission, type Submission } from "./validate-submission.ts";

const tokens = plainTokens();

function playedGame(mode: "classic" | "steps" = "classic", points = 3, id?: string): GameSession {
  let s = runningSession(mode, tokens, { durationMs: 10_000, stepsCount: 3 }, id);
  for (let i = 0; i < points; i++) {
    const now = T0 + 1000 * (i + 1);
    s = acceptPoint(s, hitNow(s, now), now, tokens).session;
  }
  return expireSession(s, T0 + 10_000, tokens);
}
const honest = (s: GameSession): Submission => ({
  sessionId: s.id,
  startToken: s.startToken!,
  endToken: s.endToken,
  points: s.points.map((p) => ({ token: p.token, clientTs: p.clientTs })),
});
function rejection(s: GameSession, sub: Submission) {
  const v = validateSubmission(s, sub, tokens);
  return "reject" in v ? { code: v.reject, reason: v.reason, flag: v.flag } : { ok: v.result };
}

describe("validateSubmission", () => {
  it("accepts an honest classic game: score = points, times from the server", () => {
    const s = playedGame();
    assert.deepEqual(rejection(s, honest(s)), { ok: { score: 3, points: 3, startedAt: T0, endedAt: T0 + 10_000 } });
  });

  it("accepts an honest steps game: score = elapsed ms", () => {
    const s = playedGame("steps", 3);
    assert.deepEqual(rejection(s, honest(s)), { ok: { score: 3000, points: 3, startedAt: T0, endedAt: T0 + 3000 } });
  });

  it("a replayed submission is refused without a second result and without a flag", () => {
    const s = playedGame();
    const first = validateSubmission(s, honest(s), tokens);
    assert.ok(!("reject" in first));
    assert.deepEqual(rejection(first.session, honest(s)), { code: "ALREADY_SUBMITTED", reason: "replay", flag: false });
  });

  it("refuses (and flags) a submission without an end token", () => {
    const s = playedGame();
    assert.deepEqual(rejection(s, { ...honest(s), endToken: null }), { code: "SUBMISSION_REJECTED", reason: "missing_end_token", flag: true });
  });

  it("a rejected submission is final: a corrected one is a replay", () => {
    const s = playedGame();
    const bad = validateSubmission(s, { ...honest(s), endToken: undefined }, tokens);
    assert.equal(rejection(bad.session, honest(s)).code, "ALREADY_SUBMITTED");
  });

  it("refuses a submission while the game still runs as not due: no flag, the real one still counts", () => {
    let s = runningSession("classic", tokens, { durationMs: 10_000 });
    s = acceptPoint(s, hitNow(s, T0 + 10), T0 + 10, tokens).session;
    const fakeEnd = tokens.issue({ sid: s.id, player: s.player, kind: TokenKind.End, n: 0 });
    for (const early of [{ ...honest(s), endToken: fakeEnd }, { ...honest(s), endToken: null }]) {
      const verdict = validateSubmission(s, early, tokens);
      assert.deepEqual(rejection(s, early), { code: "SUBMISSION_NOT_DUE", reason: "game_not_over", flag: false });
      assert.equal(verdict.session, s, "the session is untouched (not marked submitted)");
    }
    const ended = expireSession(s, T0 + 10_000, tokens);
    assert.deepEqual(rejection(ended, honest(ended)), { ok: { score: 1, points: 1, startedAt: T0, endedAt: T0 + 10_000 } });
  });

  it("refuses a submission naming another session (a resend for a previous game) as not due, without consuming this one", () => {
    const previous = playedGame("classic", 2, "00000000-0000-4000-8000-000000000003");
    const s = playedGame();
    for (const stale of [honest(previous), { ...honest(s), sessionId: previous.id }, { ...honest(s), sessionId: "made-up" }]) {
      const verdict = validateSubmission(s, stale, tokens);
      assert.deepEqual(rejection(s, stale), { code: "SUBMISSION_NOT_DUE", reason: "not_current_session", flag: false });
      assert.equal(verdict.session.submitted, false);
    }
    assert.ok("result" in validateSubmission(s, honest(s), tokens), "the real submission is judged");
    const judged = validateSubmission(s, honest(s), tokens).session;
    assert.deepEqual(rejection(judged, honest(previous)), { code: "SUBMISSION_NOT_DUE", reason: "not_current_session", flag: false }, "also after the judgement");
  });

  it("refuses a forged start token", () => {
    const s = playedGame();
    assert.equal(rejection(s, { ...honest(s), startToken: s.startToken!.replace(/.$/, "x") }).reason, "forged_token");
  });

  it("refuses another session's start token", () => {
    const s = playedGame();
    const other = playedGame("classic", 3, "00000000-0000-4000-8000-000000000002");
    assert.equal(rejection(s, { ...honest(s), startToken: other.startToken! }).reason, "other_session_token");
  });

  it("refuses an end token used as the start token", () => {
    const s = playedGame();
    assert.equal(rejection(s, { ...honest(s), startToken: s.endToken! }).reason, "wrong_token_kind");
  });

  it("refuses another session's end token", () => {
    const s = playedGame();
    const other = playedGame("classic", 3, "00000000-0000-4000-8000-000000000002");
    assert.equal(rejection(s, { ...honest(s), endToken: other.endToken }).reason, "other_session_token");
  });

  it("refuses a forged point token", () => {
    const s = playedGame();
    const sub = honest(s);
    sub.points[1] = { ...sub.points[1], token: sub.points[1].token.slice(0, -2) + "zz" };
    assert.equal(rejection(s, sub).reason, "forged_token");
  });

  it("refuses a point token listed twice", () => {
    const s = playedGame();
    const sub = honest(s);
    sub.points.push(sub.points[0]);
    assert.equal(rejection(s, sub).reason, "reused_point_token");
  });

  it("refuses a point token of another session", () => {
    const s = playedGame();
    const other = playedGame("classic", 3, "00000000-0000-4000-8000-000000000002");
    const sub = honest(s);
    sub.points.push({ token: other.points.at(0)!.token, clientTs: other.points.at(0)!.clientTs });
    assert.equal(rejection(s, sub).reason, "other_session_token");
  });

  it("refuses a genuine-looking point token the server never recorded", () => {
    const s = playedGame();
    const sub = honest(s);
    sub.points.push({ token: tokens.issue({ sid: s.id, player: s.player, kind: TokenKind.Point, n: 3 }), clientTs: T0 + 9000 + CLIENT_OFFSET });
    assert.equal(rejection(s, sub).reason, "unknown_point_token");
  });

  it("refuses a point whose client timestamp was altered", () => {
    const s = playedGame();
    const sub = honest(s);
    sub.points[0] = { ...sub.points[0], clientTs: sub.points[0].clientTs + 1 };
    assert.equal(rejection(s, sub).reason, "timestamp_mismatch");
  });

  it("refuses recorded points whose timestamps drift beyond the allowance", () => {
    const s = playedGame();
    const skewed = { ...s, points: AppendLog.from(s.points.map((p, i) => (i === 1 ? { ...p, clientTs: p.clientTs - 5000 } : p))) };
    assert.equal(rejection(skewed, honest(skewed)).reason, "clock_skew");
  });

  it("refuses a submission that drops points", () => {
    const s = playedGame();
    const sub = honest(s);
    sub.points.pop();
    assert.equal(rejection(s, sub).reason, "incomplete");
  });

  it("refuses any submission of a game stopped for burst abuse", () => {
    const s = { ...playedGame(), endToken: null, endReason: "burst_abuse" as const };
    const forgedEnd = tokens.issue({ sid: s.id, player: s.player, kind: TokenKind.End, n: 0 });
    assert.equal(rejection(s, { ...honest(s), endToken: forgedEnd }).reason, "game_aborted");
  });
});
