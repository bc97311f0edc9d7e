import assert from "node:assert/strict";
import { ServerMessage } from "@arena/shared";
import { honestSubmission, playRound, seat, startGameWorld, type GameWorld } from "./game-test-kit.ts";
import { waitFor } from "./test-server.ts";

/** Honest games through real SDK clients against the real room, results to a fake backend. */
describe("game room: honest play", () => {
  let world: GameWorld;
  before(async () => (world = await startGameWorld()));
  after(() => world.close());

  it("welcomes an account with duration and rules, and a guest with 'score won't be saved'", async () => {
    const { player, guest } = await seat(world, "classic", { guest: true });
    const welcome = await player.next(ServerMessage.Welcome);
    assert.equal(welcome.mode, "classic");
    assert.equal(welcome.durationMs, 1500);
    assert.match(welcome.rules, /dot/);
    assert.equal(welcome.scoreSaved, true);
    const guestWelcome = await guest!.next(ServerMessage.Welcome);
    assert.equal(guestWelcome.scoreSaved, false);
    assert.match(guestWelcome.notice, /won't be saved/);
    await Promise.all([player.leave(), guest!.leave()]);
  });

  for (const mode of ["classic", "shaky"] as const) {
    it(`${mode}: a timed game ends on the room clock with an end token and the result is stored once`, async () => {
      const { owner, player } = await seat(world, mode);
      const started = await player.start();
      assert.equal(started.endsAt - started.startedAt, 1500);
      const accepted = await player.play(started.target, 3);
      assert.deepEqual(accepted.map((a) => a.n), [0, 1, 2]);
      const end = await player.next(ServerMessage.EndGame);
      assert.equal(end.reason, "timer");
      assert.ok(end.endToken);
      assert.equal(end.score, 3);
      const result = await player.submit(honestSubmission(started, accepted, end.endToken));
      assert.deepEqual([result.accepted, result.saved, result.score, result.pending, result.rank], [true, true, 3, false, 1]);
      const stored = world.backend.results.get(started.sessionId);
      assert.equal(stored.user_id, owner.sub);
      assert.equal(stored.mode, mode);
      assert.equal(stored.score, 3);
      assert.equal(stored.points, 3);
      assert.equal(Date.parse(stored.ended_at) - Date.parse(stored.started_at), 1500);
      const state = (player.room.state as any).players.get(player.room.sessionId);
      assert.equal(state.score, 3);
      assert.equal(state.status, "ended");
      await player.leave();
    });
  }

  it("steps: untimed, ends when the steps are done; the score is the time taken", async () => {
    const { player } = await seat(world, "steps");
    const welcome = await player.next(ServerMessage.Welcome);
    assert.equal(welcome.durationMs, 0);
    const started = await player.start();
    await new Promise((r) => setTimeout(r, 1600)); // longer than GAME_DURATION_MS: steps ignores it
    const accepted = await player.play(started.target, 3);
    const end = await player.next(ServerMessage.EndGame);
    assert.equal(end.reason, "completed");
    assert.ok(end.score >= 1600);
    const result = await player.submit(honestSubmission(started, accepted, end.endToken));
    assert.equal(result.accepted, true);
    assert.equal(world.backend.results.get(started.sessionId).score, end.score);
    assert.equal(world.backend.results.get(started.sessionId).mode, "steps");
    await player.leave();
  });

  it("a player can start a new game after one ended (a new session)", async () => {
    const { player } = await seat(world, "classic");
    const first = await player.start();
    await player.next(ServerMessage.EndGame);
    const second = await player.start();
    assert.notEqual(second.sessionId, first.sessionId);
    assert.notEqual(second.startToken, first.startToken);
    await player.leave();
  });

  it("a ranked room saves an account's result like any room (ranked only keeps guests out)", async () => {
    const { owner, player, roomId } = await seat(world, "classic", { ranked: true });
    const guest = await fetch(`${world.server.url}/getTicket/${roomId}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "visitor" }) });
    assert.equal(((await guest.json()) as { error_code: string }).error_code, "GUESTS_NOT_ALLOWED");
    const started = await player.start();
    const accepted = await player.play(started.target, 1);
    const end = await player.next(ServerMessage.EndGame);
    const result = await player.submit(honestSubmission(started, accepted, end.endToken));
    assert.deepEqual([result.accepted, result.saved], [true, true]);
    assert.equal(world.backend.results.get(started.sessionId).user_id, owner.sub);
    assert.equal((player.room.state as any).ranked, true);
    await player.leave();
  });

  it("a guest can play, but the result is not saved", async () => {
    // With the account player seated too, the guest plays a round the host starts.
    const { player, guest } = await seat(world, "classic", { guest: true });
    const [, { started, honest }] = await playRound(player, [player, guest!], [0, 2]);
    const result = await guest!.submit(honest);
    assert.deepEqual([result.accepted, result.saved, result.score], [true, false, 2]);
    assert.ok(!world.backend.calls.some((c) => c.body.result_id === started.sessionId));
    await Promise.all([player.leave(), guest!.leave()]);
  });

  it("a disconnect and reconnection mid-game keeps the session and its points", async () => {
    const { player } = await seat(world, "classic");
    const started = await player.start();
    const before = await player.play(started.target, 2);
    player.room.reconnection.minUptime = 0;
    const reconnected = new Promise<void>((resolve) => player.room.onReconnect.once(() => resolve()));
    player.room.connection.close(4010, "test drop");
    await reconnected;
    const resume = await player.next(ServerMessage.Resume);
    assert.equal(resume.sessionId, started.sessionId);
    assert.deepEqual(resume.points.map((p: any) => p.token), before.map((p) => p.token));
    const after = await player.play(resume.target, 1);
    assert.equal(after[0].n, 2);
    const end = await player.next(ServerMessage.EndGame);
    assert.equal(end.score, 3);
    const result = await player.submit(honestSubmission(started, [...before, ...after], end.endToken));
    assert.equal(result.accepted, true);
    assert.equal(world.backend.results.get(started.sessionId).score, 3);
    await player.leave();
  });

  it("a premature submit and a stale resend neither use up the game's submission nor flag the player", async () => {
    const { owner, player } = await seat(world, "classic");
    const flagsOf = () => [...world.backend.flags.values()].filter((f: any) => f.user_id === owner.sub);
    const first = await player.start();
    const firstPoints = await player.play(first.target, 1);
    // While the game runs: with and without a (made-up) end token.
    for (const endToken of [undefined, "x".repeat(42)]) {
      const early = await player.submit(honestSubmission(first, firstPoints, endToken));
      assert.deepEqual([early.sessionId, early.accepted, early.saved, early.code, early.reason], [first.sessionId, false, false, "SUBMISSION_NOT_DUE", "game_not_over"]);
    }
    const firstEnd = await player.next(ServerMessage.EndGame);
    const firstResult = await player.submit(honestSubmission(first, firstPoints, firstEnd.endToken));
    assert.deepEqual([firstResult.accepted, firstResult.saved, firstResult.score], [true, true, 1]);

    // The next game: the previous game's submission sent again while it runs, and after it ended.
    const second = await player.start();
    const secondPoints = await player.play(second.target, 2);
    const resend = await player.submit(honestSubmission(first, firstPoints, firstEnd.endToken));
    assert.deepEqual([resend.sessionId, resend.accepted, resend.code, resend.reason], [first.sessionId, false, "SUBMISSION_NOT_DUE", "not_current_session"]);
    const secondEnd = await player.next(ServerMessage.EndGame);
    const lateResend = await player.submit(honestSubmission(first, firstPoints, firstEnd.endToken));
    assert.equal(lateResend.code, "SUBMISSION_NOT_DUE");
    const secondResult = await player.submit(honestSubmission(second, secondPoints, secondEnd.endToken));
    assert.deepEqual([secondResult.sessionId, secondResult.accepted, secondResult.saved, secondResult.score], [second.sessionId, true, true, 2]);
    assert.equal(world.backend.results.get(second.sessionId).score, 2);
    assert.equal(world.backend.results.get(first.sessionId).score, 1, "the first game's result is stored once, unchanged");
    assert.deepEqual(flagsOf(), [], "nobody was flagged");
    await player.leave();
  });

  it("a result made while the backend is down is kept and stored once it is back", async () => {
    const { player } = await seat(world, "classic");
    const started = await player.start();
    const accepted = await player.play(started.target, 1);
    const end = await player.next(ServerMessage.EndGame);
    world.backend.setDown(true);
    try {
      const result = await player.submit(honestSubmission(started, accepted, end.endToken));
      assert.deepEqual([result.accepted, result.saved, result.pending], [true, true, true]);
      assert.equal(world.backend.results.has(started.sessionId), false);
    } finally {
      world.backend.setDown(false);
    }
    await waitFor(() => world.backend.results.has(started.sessionId), 8000);
    assert.equal(world.backend.results.get(started.sessionId).score, 1);
    await player.leave();
  });
});

describe("game room: a full-length game", () => {
  let world: GameWorld;
  // Default message limits; thresholds that let a bot-speed client reach the most points a
  // default 30 s game allows (BURST_MAX_POINTS 8 per 1000 ms → 240 points).
  before(async () => (world = await startGameWorld({ GAME_DURATION_MS: "4000", BURST_MAX_POINTS: "100000", MAX_MESSAGES_PER_SECOND: "100000" })));
  after(() => world.close());

  it("a submission with 240 point tokens fits in one message and is stored", async () => {
    const { player } = await seat(world, "classic");
    const started = await player.start();
    const accepted = await player.play(started.target, 240, 0);
    const end = await player.next(ServerMessage.EndGame, 8000);
    const result = await player.submit(honestSubmission(started, accepted, end.endToken));
    assert.deepEqual([result.accepted, result.score], [true, 240]);
    assert.equal(world.backend.results.get(started.sessionId).points, 240);
    await player.leave();
  });
});
