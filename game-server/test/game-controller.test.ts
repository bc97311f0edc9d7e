import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { DEFAULT_GAME_SETTINGS } from "@arena/shared/rules/game-settings";
import { GameController, type PlayerClient, type ResultsPort } from "../src/game/game-controller.ts";
import type { Delivery } from "../src/game/results-outbox.ts";
import type { FlagBody, GameResultBody } from "../src/game/results-sink.ts";

/** A room clock we drive by hand. */
function manualClock() {
  const timers: { at: number; fn: () => void; cleared: boolean }[] = [];
  let now = 1_800_000_000_000;
  return {
    now: () => now,
    setTimeout(fn: () => void, ms: number) {
      const timer = { at: now + ms, fn, cleared: false };
      timers.push(timer);
      return { clear: () => void (timer.cleared = true) };
    },
    /** Advances the wall clock; fires due timers (as the room clock would, possibly late). */
    advance(ms: number, fireEarlyBy = 0) {
      now += ms;
      for (const t of timers.splice(0)) {
        if (!t.cleared && t.at - fireEarlyBy <= now) t.fn();
        else if (!t.cleared) timers.push(t);
      }
    },
    pending: () => timers.filter((t) => !t.cleared).length,
  };
}

function setup(options: { delivery?: Delivery; settings?: Partial<typeof DEFAULT_GAME_SETTINGS> } = {}) {
  const clock = manualClock();
  const sent: { to: string; type: string; payload: any }[] = [];
  const results: GameResultBody[] = [];
  const flags: FlagBody[] = [];
  const port: ResultsPort = {
    submitResult: async (body) => (results.push(body), options.delivery ?? { delivered: true, body: { board: body.mode, new_score: body.score, rank: 3 } }),
    submitFlag: async (body) => (flags.push(body), { delivered: true, body: {} }),
  };
  const published: any[] = [];
  const controller = new GameController<PlayerClient>({
    mode: "classic",
    clock,
    settings: { ...DEFAULT_GAME_SETTINGS, durationMs: 10_000, ...options.settings },
    results: port,
    log: { info() {}, warn() {}, error() {} },
    send: (client, type, payload) => sent.push({ to: client.auth!.sub, type, payload }),
    publish: (_client, view) => published.push(view),
    now: clock.now,
    newId: randomUUID,
    newSeed: () => 99,
  });
  const last = (to: string, type: string) => sent.filter((m) => m.to === to && m.type === type).at(-1)?.payload;
  return { clock, sent, results, flags, controller, published, last };
}
const alice: PlayerClient = { sessionId: "a", auth: { sub: "11", nick: "alice", guest: false } };
const guest: PlayerClient = { sessionId: "g", auth: { sub: "guest:bob#x", nick: "bob", guest: true } };

describe("GameController (manual clock)", () => {
  it("the timer ends the game at the deadline with an end token, re-arming if the clock fires early", () => {
    const { clock, controller, last } = setup();
    controller.onJoin(alice);
    controller.onGameStart(alice, { clientTs: 5 });
    clock.advance(9_990, 50); // the room clock fires 40 ms early: not the end yet
    assert.equal(last("11", "end_game"), undefined);
    assert.equal(clock.pending(), 1, "re-armed");
    clock.advance(10);
    assert.equal(last("11", "end_game").reason, "timer");
    assert.ok(last("11", "end_game").endToken);
    assert.equal(controller.view("11")!.status, "ended");
  });

  it("publishes score and status to the synced state", () => {
    const { clock, controller, last, published } = setup();
    controller.onJoin(alice);
    controller.onGameStart(alice, { clientTs: 0 });
    clock.advance(200);
    const t = last("11", "game_started").target;
    controller.onPoint(alice, { clientTs: 200, target: t.index, x: t.x, y: t.y });
    assert.deepEqual(published.at(-1), { score: 1, status: "running", endsAt: clock.now() - 200 + 10_000, points: 1, bursts: 0, flagged: false });
  });

  it("a valid account result is sent once with the session id as result_id; the reply carries the rank", async () => {
    const { clock, controller, last, results } = setup();
    controller.onJoin(alice);
    controller.onGameStart(alice, { clientTs: 0 });
    clock.advance(300);
    const t = last("11", "game_started").target;
    controller.onPoint(alice, { clientTs: 300, target: t.index, x: t.x, y: t.y });
    clock.advance(10_000);
    const started = last("11", "game_started");
    const submission = {
      sessionId: started.sessionId,
      startToken: started.startToken,
      endToken: last("11", "end_game").endToken,
      points: [{ token: last("11", "point_accepted").token, clientTs: 300 }],
    };
    await controller.onSubmit(alice, submission);
    const first = last("11", "result");
    assert.deepEqual([first.accepted, first.saved, first.pending, first.rank, first.newScore], [true, true, false, 3, 1]);
    await controller.onSubmit(alice, submission);
    assert.equal(results.length, 1);
    assert.deepEqual(results[0], {
      result_id: started.sessionId,
      user_id: "11",
      mode: "classic",
      score: 1,
      points: 1,
      started_at: new Date(started.startedAt).toISOString(),
      ended_at: new Date(started.endsAt).toISOString(),
    });
    assert.equal(last("11", "result").code, "ALREADY_SUBMITTED");
  });

  it("answers pending when the backend could not take the result yet", async () => {
    const { clock, controller, last } = setup({ delivery: { delivered: false, queued: true, error: "down" } });
    controller.onJoin(alice);
    controller.onGameStart(alice, { clientTs: 0 });
    clock.advance(10_000);
    await controller.onSubmit(alice, { sessionId: last("11", "game_started").sessionId, startToken: last("11", "game_started").startToken, endToken: last("11", "end_game").endToken, points: [] });
    assert.deepEqual([last("11", "result").accepted, last("11", "result").saved, last("11", "result").pending], [true, true, true]);
  });

  it("answers saved: false with a code when the result could be neither delivered nor queued", async () => {
    const { clock, controller, last } = setup({ delivery: { delivered: false, queued: false, error: "boom" } });
    controller.onJoin(alice);
    controller.onGameStart(alice, { clientTs: 0 });
    clock.advance(10_000);
    await controller.onSubmit(alice, { sessionId: last("11", "game_started").sessionId, startToken: last("11", "game_started").startToken, endToken: last("11", "end_game").endToken, points: [] });
    const answer = last("11", "result");
    assert.deepEqual([answer.accepted, answer.saved, answer.pending, answer.code], [true, false, false, "SERVICE_UNAVAILABLE"]);
  });

  it("flags an account's rejected submission but never a guest's; a guest's valid result is not sent", async () => {
    const { clock, controller, last, flags, results } = setup();
    controller.onJoin(alice);
    controller.onJoin(guest);
    controller.onGameStart(alice, { clientTs: 0 });
    controller.onGameStart(guest, { clientTs: 0 });
    clock.advance(10_000);
    await controller.onSubmit(alice, { sessionId: last("11", "game_started").sessionId, startToken: last("11", "game_started").startToken, endToken: null, points: [] });
    await controller.onSubmit(guest, { sessionId: last("guest:bob#x", "game_started").sessionId, startToken: last("guest:bob#x", "game_started").startToken, endToken: null, points: [] });
    assert.deepEqual(flags.map((f) => [f.user_id, f.reason, f.evidence.reason]), [["11", "SUBMISSION_REJECTED", "missing_end_token"]]);
    const { controller: again, clock: clock2, last: last2, results: results2 } = setup();
    again.onJoin(guest);
    again.onGameStart(guest, { clientTs: 0 });
    clock2.advance(10_000);
    await again.onSubmit(guest, { sessionId: last2("guest:bob#x", "game_started").sessionId, startToken: last2("guest:bob#x", "game_started").startToken, endToken: last2("guest:bob#x", "end_game").endToken, points: [] });
    assert.deepEqual([last2("guest:bob#x", "result").accepted, last2("guest:bob#x", "result").saved], [true, false]);
    assert.equal(results.length + results2.length, 0);
  });

  it("burst abuse ends the game, sends end_game without a token and flags the account once", () => {
    const { clock, controller, last, flags, sent } = setup({ settings: { burstWindowMs: 1000, burstMaxPoints: 2, burstLimit: 1, burstPeriodMs: 10_000 } });
    controller.onJoin(alice);
    controller.onGameStart(alice, { clientTs: 0 });
    for (let i = 0; i < 12 && !last("11", "end_game"); i++) {
      clock.advance(i % 4 === 3 ? 1000 : 10);
      const t = last("11", "point_accepted")?.target ?? last("11", "game_started").target;
      controller.onPoint(alice, { clientTs: clock.now() - 1_800_000_000_000, target: t.index, x: t.x, y: t.y });
    }
    assert.equal(last("11", "end_game").reason, "burst_abuse");
    assert.equal(last("11", "end_game").endToken, undefined);
    assert.equal(flags.length, 1);
    assert.equal(flags[0].reason, "BURST_ABUSE");
    assert.equal(sent.filter((m) => m.type === "end_game").length, 1);
    assert.equal(clock.pending(), 0, "the timer was cleared");
  });

  it("a reconnection gets welcome and resume with the same session; a timer that fired while away shows as ended", () => {
    const { clock, controller, last } = setup();
    controller.onJoin(alice);
    controller.onGameStart(alice, { clientTs: 0 });
    controller.onDrop(alice);
    clock.advance(10_000);
    const back = { ...alice, sessionId: "a2" };
    controller.onReconnect(back);
    const resume = last("11", "resume");
    assert.equal(resume.sessionId, last("11", "game_started").sessionId);
    assert.equal(resume.status, "ended");
    assert.ok(resume.endToken);
  });

  it("dispose clears the timers", () => {
    const { clock, controller } = setup();
    controller.onJoin(alice);
    controller.onGameStart(alice, { clientTs: 0 });
    controller.onDispose();
    assert.equal(clock.pending(), 0);
  });
});
