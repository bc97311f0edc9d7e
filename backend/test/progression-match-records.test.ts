import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { InternalRoute, MatchOutcome, type MatchPlayer, type MatchRecordBody } from "@arena/shared/contracts/internal-api";
import type { TestBackend } from "./support/test-backend.ts";
import { newPlayer, serviceKeys, startScoresBackend } from "./scores-support.ts";

const mode = `${process.env.DATABASE_URL ? "postgres" : "pglite"} + ${process.env.REDIS_URL ? "redis" : "memory"}`;

const line = (userId: string | null, score: number, placement: number, over: Partial<MatchPlayer> = {}): MatchPlayer => ({
  user_id: userId, nick: userId ?? "guest", guest: userId === null, score, placement, flagged: false, finished: true,
  result_saved: userId !== null, result_id: userId === null ? null : randomUUID(), ...over,
});

function record(players: MatchPlayer[], over: Partial<MatchRecordBody> = {}): MatchRecordBody {
  const ended = Date.now();
  return {
    match_id: randomUUID(), room_code: "PTS1", mode: "classic", round: 1, solo: false, outcome: MatchOutcome.Completed,
    started_at: new Date(ended - 30_000).toISOString(), ended_at: new Date(ended).toISOString(), players, ...over,
  };
}

describe(`progression through POST /internal/match-records (${mode})`, () => {
  let backend: TestBackend;
  const keys = serviceKeys();
  before(async () => (backend = await startScoresBackend({ SERVICE_PUBLIC_KEY: keys.publicPem })));
  after(async () => backend?.close());

  const post = (body: MatchRecordBody) => backend.api("POST", InternalRoute.MatchRecords, { token: keys.sign(), body });
  const profile = async (token: string) => (await backend.api("GET", "/api/profile", { token })).body;

  it("credits multiplier × score once: the replay answers the same points and pays nothing", async () => {
    const [a, b] = [await newPlayer(backend, "mr_winner"), await newPlayer(backend, "mr_second")];
    const before = (await profile(a.token)).balance as number;
    const body = record([line(a.id, 14, 1), line(null, 12, 2), line(b.id, 9, 3)]);
    const first = await post(body);
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.points_earned, { [a.id]: 42, [b.id]: 13 });
    const again = await post(body);
    assert.deepEqual(again.body, { ...first.body, replay: true });
    const mine = await profile(a.token);
    assert.equal(mine.balance, before + 42);
    assert.deepEqual(mine.ledger.filter((r: { reason: string }) => r.reason === "match").map((r: { amount: number; reference: string }) => [r.amount, r.reference]), [[42, body.match_id]]);
    const history = (await backend.api("GET", "/api/me/matches", { token: a.token })).body;
    assert.equal(history.matches[0].me.points_earned, 42);
  });

  it("credits once when the same record races in", async () => {
    const a = await newPlayer(backend, "mr_racer");
    const before = (await profile(a.token)).balance as number;
    const body = record([line(a.id, 10, 1)], { solo: true });
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(body)));
    assert.ok(answers.every((r) => r.status === 200 && r.body.points_earned[a.id] === 10));
    assert.equal((await profile(a.token)).balance, before + 10);
  });

  it("shows best placements per mode on the public card (completed, multi-player, not flagged)", async () => {
    const [a, b] = [await newPlayer(backend, "mr_card"), await newPlayer(backend, "mr_rival")];
    await post(record([line(b.id, 9, 1), line(a.id, 5, 2)]));
    await post(record([line(a.id, 7, 1), line(b.id, 5, 2)], { mode: "shaky" }));
    await post(record([line(a.id, 30, 1, { flagged: true }), line(b.id, 5, 2)]));
    await post(record([line(a.id, 3, 1)], { solo: true }));
    await post(record([line(a.id, 0, 0), line(b.id, 0, 0)], { outcome: MatchOutcome.CalledOff }));
    const card = (await backend.api("GET", `/api/profile/${a.username}`)).body;
    assert.deepEqual(card.best_placements, [
      { mode: "classic", placement: 2, matches: 1 },
      { mode: "shaky", placement: 1, matches: 1 },
    ]);
    assert.equal(card.lifetime_points, 50 + 5 * 2 + 7 * 3 + 3);
  });
});
