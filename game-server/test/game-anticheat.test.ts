import assert from "node:assert/strict";
import { ServerMessage } from "@arena/shared";
import { InternalRoute } from "@arena/shared/contracts/internal-api";
import { honestSubmission, Player, playRound, seat, startGameWorld, type GameWorld } from "./game-test-kit.ts";
import { waitFor } from "./test-server.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A finished classic game: started, `points` honest hits, ended by the timer. */
async function finishedGame(player: Player, points = 2) {
  const started = await player.start();
  const accepted = await player.play(started.target, points);
  const end = await player.next(ServerMessage.EndGame);
  return { started, accepted, end, honest: honestSubmission(started, accepted, end.endToken) };
}

/** Adversarial clients against the real room (thresholds from GAME_TEST_ENV). */
describe("game room: anti-cheat", () => {
  let world: GameWorld;
  before(async () => (world = await startGameWorld()));
  after(() => world.close());

  const flagsOf = (userId: string) => [...world.backend.flags.values()].filter((f) => f.user_id === userId);
  const flagged = (userId: string, reason: string) => waitFor(() => flagsOf(userId).some((f) => f.reason === reason));

  it("refuses points before game_start", async () => {
    const { player } = await seat(world);
    const r = await player.hit({ index: 0, x: 500, y: 500 });
    assert.deepEqual([r.accepted, r.code], [false, "GAME_NOT_STARTED"]);
    await player.leave();
  });

  it("refuses points after the end", async () => {
    const { player } = await seat(world);
    const { end, started } = await finishedGame(player, 1);
    assert.ok(end.endToken);
    const r = await player.hit(started.target);
    assert.deepEqual([r.accepted, r.code], [false, "GAME_OVER"]);
    await player.leave();
  });

  it("refuses a miss and a malformed point", async () => {
    const { player } = await seat(world);
    const started = await player.start();
    const miss = await player.hit(started.target, Date.now(), { x: started.target.x + 200 });
    assert.deepEqual([miss.accepted, miss.code], [false, "POINT_REJECTED"]);
    let closeCode = 0;
    player.room.onLeave.once((code) => (closeCode = code));
    player.room.send("point", { clientTs: Date.now(), target: 0, x: "500", y: 1 });
    await waitFor(() => closeCode !== 0);
    assert.equal(closeCode, 4002, "a malformed message gets the client removed (Colyseus validation)");
    assert.equal(player.all(ServerMessage.PointAccepted).length, 0);
  });

  it("refuses client timestamps skewed beyond the latency allowance", async () => {
    const { player } = await seat(world);
    const started = await player.start();
    const ahead = await player.hit(started.target, Date.now() + 2000);
    const behind = await player.hit(started.target, Date.now() - 2000);
    assert.deepEqual([ahead.code, behind.code], ["CLOCK_SKEW", "CLOCK_SKEW"]);
    const ok = await player.hit(started.target, Date.now());
    assert.equal(ok.accepted, true);
    await player.leave();
  });

  it("refuses points faster than the burst threshold", async () => {
    const { player } = await seat(world);
    const started = await player.start();
    let target = started.target;
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await player.hit(target);
      codes.push(r.accepted ? "ok" : r.code);
      if (r.accepted) target = r.target;
    }
    assert.deepEqual(codes, ["ok", "ok", "ok", "ok", "BURST_DETECTED"]);
    await player.leave();
  });

  it("burst abuse ends the game at once without an end token and flags the account with evidence", async () => {
    const { player, owner } = await seat(world);
    const started = await player.start();
    let target = started.target;
    for (let episode = 0; episode < 2 && player.all(ServerMessage.EndGame).length === 0; episode++) {
      for (let i = 0; i < 6; i++) {
        const r = await player.hit(target);
        if (r.accepted) target = r.target;
      }
      await sleep(350);
    }
    const end = await player.next(ServerMessage.EndGame, 100);
    assert.equal(end.reason, "burst_abuse");
    assert.equal(end.endToken, undefined);
    await flagged(owner.sub, "BURST_ABUSE");
    const flag = flagsOf(owner.sub).find((f) => f.reason === "BURST_ABUSE");
    assert.equal(flag.evidence.sessionId, started.sessionId);
    assert.equal(flag.evidence.bursts.length, 2);
    const after = await player.hit(target);
    assert.equal(after.code, "GAME_OVER");
    const accepted = player.all(ServerMessage.PointAccepted);
    const result = await player.submit(honestSubmission(started, accepted, "x".repeat(10)));
    assert.deepEqual([result.accepted, result.saved], [false, false]);
    assert.ok(!world.backend.results.has(started.sessionId));
    await player.leave();
  });

  it("refuses a forged point token and flags the account", async () => {
    const { player, owner } = await seat(world);
    const { honest, started } = await finishedGame(player);
    const raw = Buffer.from(honest.points[0].token, "base64url");
    raw[raw.length - 1] ^= 1;
    honest.points[0].token = raw.toString("base64url");
    const result = await player.submit(honest);
    assert.deepEqual([result.accepted, result.code, result.reason], [false, "SUBMISSION_REJECTED", "forged_token"]);
    await flagged(owner.sub, "SUBMISSION_REJECTED");
    assert.equal(flagsOf(owner.sub)[0].evidence.reason, "forged_token");
    assert.ok(!world.backend.results.has(started.sessionId));
    await player.leave();
  });

  it("refuses a forged token with rewritten claims (another point index)", async () => {
    const { player } = await seat(world);
    const { honest } = await finishedGame(player);
    const raw = Buffer.from(honest.points[0].token, "base64url");
    raw.writeUInt16BE(7, 17); // point index 0 → 7, MAC kept
    honest.points.push({ token: raw.toString("base64url"), clientTs: honest.points[0].clientTs });
    assert.equal((await player.submit(honest)).reason, "forged_token");
    await player.leave();
  });

  it("refuses a reused point token", async () => {
    const { player } = await seat(world);
    const { honest } = await finishedGame(player);
    honest.points.push(honest.points[0]);
    assert.equal((await player.submit(honest)).reason, "reused_point_token");
    await player.leave();
  });

  it("refuses tokens of another player's session in the same room", async () => {
    // Two players of one round (a room with others seated plays rounds: start_match).
    const { player, guest } = await seat(world, "classic", { guest: true });
    const [mine, theirs] = await playRound(player, [player, guest!], [2, 2]);
    const stolenPoint = { ...mine.honest, points: [...mine.honest.points, theirs.honest.points[0]] };
    assert.equal((await player.submit(stolenPoint)).reason, "other_session_token");
    const stolenStart = { ...theirs.honest, startToken: mine.honest.startToken };
    assert.equal((await guest!.submit(stolenStart)).reason, "other_session_token");
    await Promise.all([player.leave(), guest!.leave()]);
  });

  it("refuses tokens from another room (another room key)", async () => {
    const a = await seat(world);
    const b = await seat(world);
    const [mine, theirs] = await Promise.all([finishedGame(a.player), finishedGame(b.player)]);
    const sub = { ...mine.honest, points: [...mine.honest.points, theirs.honest.points[0]] };
    assert.equal((await a.player.submit(sub)).reason, "forged_token");
    await Promise.all([a.player.leave(), b.player.leave()]);
  });

  it("refuses a submission with altered client timestamps", async () => {
    const { player } = await seat(world);
    const { honest } = await finishedGame(player);
    honest.points[1].clientTs -= 1;
    assert.equal((await player.submit(honest)).reason, "timestamp_mismatch");
    await player.leave();
  });

  it("refuses a submission without an end token and flags it", async () => {
    const { player, owner } = await seat(world);
    const { honest, started } = await finishedGame(player);
    const result = await player.submit({ ...honest, endToken: undefined });
    assert.deepEqual([result.accepted, result.reason], [false, "missing_end_token"]);
    await flagged(owner.sub, "SUBMISSION_REJECTED");
    assert.ok(!world.backend.results.has(started.sessionId));
    await player.leave();
  });

  it("a replayed final submission changes nothing and is answered ALREADY_SUBMITTED", async () => {
    const { player, owner } = await seat(world);
    const { honest, started } = await finishedGame(player);
    assert.equal((await player.submit(honest)).accepted, true);
    const replay = await player.submit(honest);
    assert.deepEqual([replay.accepted, replay.code], [false, "ALREADY_SUBMITTED"]);
    await sleep(100);
    assert.equal(world.backend.calls.filter((c) => c.body.result_id === started.sessionId).length, 1);
    assert.equal(flagsOf(owner.sub).length, 0, "a replay is not flagged");
    await player.leave();
  });

  it("does not flag a guest's rejected submission (no account) and saves nothing", async () => {
    const { player, guest } = await seat(world, "classic", { guest: true });
    const [, { honest }] = await playRound(player, [player, guest!], [0, 2]);
    // The round's match record goes to the backend too; nothing else may.
    const others = () => world.backend.calls.filter((c) => c.path !== InternalRoute.MatchRecords).length;
    const calls = others();
    const result = await guest!.submit({ ...honest, endToken: null });
    assert.equal(result.reason, "missing_end_token");
    await sleep(100);
    assert.equal(others(), calls);
    await Promise.all([player.leave(), guest!.leave()]);
  });
});
