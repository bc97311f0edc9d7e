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

  it("group-commits records arriving together: each stored once, repeats answer replay, an unknown user fails only its own record, balances = ledger sums", async () => {
    const players = await Promise.all(Array.from({ length: 6 }, (_, i) => newPlayer(backend, `mr_batch${i}`)));
    const bodies = players.map((p, i) => record([line(p.id, 5 + i, 1), line(players[(i + 1) % players.length].id, 3, 2)]));
    const unknown = record([line(players[0].id, 4, 1), line("2000000000", 2, 2)]);
    // Each record twice in the same burst, the unknown-user record among them.
    const burst = [...bodies, unknown, ...bodies];
    const answers = await Promise.all(burst.map((b) => post(b)));
    assert.equal(answers[bodies.length].status, 400);
    assert.equal(answers[bodies.length].body.error_code, "VALIDATION_FAILED");
    for (const [i, body] of bodies.entries()) {
      const [a, b] = [answers[i], answers[bodies.length + 1 + i]];
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(b.status, 200, JSON.stringify(b.body));
      assert.deepEqual([a.body.replay, b.body.replay].sort(), [false, true]);
      assert.deepEqual(a.body.points_earned, b.body.points_earned);
      assert.deepEqual(Object.keys(a.body.points_earned).sort(), body.players.map((x) => x.user_id!).sort());
    }
    const sql = backend.running.db.sql;
    const ids = [...bodies, unknown].map((b) => b.match_id);
    const stored = await sql.query<{ match_id: string; lines: number }>(
      `SELECT m.match_id::text, (SELECT count(*) FROM match_players p WHERE p.match_id = m.match_id)::int AS lines FROM matches m WHERE m.match_id = ANY($1::uuid[])`,
      [ids],
    );
    assert.deepEqual(stored.map((r) => [r.match_id, Number(r.lines)]).sort(), bodies.map((b) => [b.match_id, 2]).sort());
    const credits = await sql.query<{ reference: string; n: number }>(
      "SELECT reference, count(*)::int AS n FROM points_ledger WHERE reason = 'match' AND reference = ANY($1::text[]) GROUP BY reference",
      [ids],
    );
    assert.deepEqual(credits.map((r) => [r.reference, Number(r.n)]).sort(), bodies.map((b) => [b.match_id, 2]).sort());
    const [{ bad }] = await sql.query<{ bad: number }>(
      "SELECT count(*)::int AS bad FROM profiles p WHERE p.user_id = ANY($1::int[]) AND p.balance <> (SELECT coalesce(sum(amount), 0) FROM points_ledger l WHERE l.user_id = p.user_id)",
      [players.map((p) => Number(p.id))],
    );
    assert.equal(Number(bad), 0);
    const history = (await backend.api("GET", "/api/me/matches", { token: players[2].token })).body;
    const mine = history.matches.find((m: { match_id: string }) => m.match_id === bodies[2].match_id);
    assert.equal(mine.me.points_earned, answers[2].body.points_earned[players[2].id]);
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
