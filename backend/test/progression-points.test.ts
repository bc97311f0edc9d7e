import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import pino from "pino";
import type { MatchRecordBody } from "@arena/shared/contracts/internal-api";
import { DEFAULT_PLACEMENT_MULTIPLIERS } from "@arena/shared/progression/index";
import { createPointsRepository } from "../src/progression/points-repository.ts";
import { createProgressionService, type ProgressionService } from "../src/progression/progression-service.ts";
import { startTestBackend, storageMode, type TestBackend } from "./support/test-backend.ts";

const DAY = 86_400_000;

describe(`progression: the daily login bonus (${storageMode})`, () => {
  // One minute before a UTC midnight, whatever today's date is.
  let clock = Math.floor(Date.now() / DAY) * DAY + DAY - 60_000;
  let t: TestBackend;
  before(async () => (t = await startTestBackend({ now: () => clock })));
  after(() => t.close());

  const bonusRows = (userId: string) =>
    t.db.sql.query<{ amount: number; reference: string }>("SELECT amount, reference FROM points_ledger WHERE user_id = $1 AND reason = 'login_bonus' ORDER BY id", [Number(userId)]);

  it("grants DAILY_LOGIN_BONUS on the first login of the day, says so, and never again that day", async () => {
    const first = await t.login("bonus_daily");
    assert.deepEqual({ ...first.body.daily_bonus, day: undefined }, { granted: 50, streak: 1, day: undefined });
    const again = await t.api("POST", "/auth/login", { body: { username: "bonus_daily", password: "correct horse battery" } });
    assert.equal(again.body.daily_bonus, null);
    const current = await t.api("GET", "/current_user", { token: first.body.access_token });
    assert.equal(current.body.daily_bonus, null);
    const refreshed = await t.api("POST", "/auth/refresh", { body: { refresh_token: first.body.refresh_token } });
    assert.equal(refreshed.body.daily_bonus, null);
    assert.equal((await bonusRows(first.body.user.id)).length, 1);
    assert.equal((await t.api("GET", "/api/profile", { token: first.body.access_token })).body.balance, 50);
  });

  it("grants the next UTC day's bonus on the first /current_user after midnight, with a growing streak", async () => {
    clock = Math.floor(clock / DAY) * DAY + DAY - 5_000;
    const { body, cookie } = await t.login("bonus_streak");
    assert.equal(body.daily_bonus.granted, 50);
    clock += 10_000; // 00:00:05 of the next UTC day
    const current = await t.api("GET", "/current_user", { cookie });
    assert.equal(current.body.logged_in, true);
    assert.deepEqual(current.body.daily_bonus, { granted: 60, streak: 2, day: new Date(clock).toISOString().slice(0, 10) });
    assert.equal((await t.api("GET", "/current_user", { token: current.body.jwt })).body.daily_bonus, null);
    const profile = (await t.api("GET", "/api/profile", { token: current.body.jwt })).body;
    assert.equal(profile.balance, 110);
    assert.equal(profile.login_streak, 2);
    assert.deepEqual((await bonusRows(body.user.id)).map((r) => r.amount), [50, 60]);
  });

  it("restarts the streak after a missed day", async () => {
    const { body } = await t.login("bonus_gap");
    clock += 2 * DAY;
    const later = await t.login("bonus_gap");
    assert.equal(later.body.daily_bonus.streak, 1);
    assert.equal(later.body.daily_bonus.granted, 50);
    assert.deepEqual((await bonusRows(body.user.id)).map((r) => r.amount), [50, 50]);
  });

  it("grants once when two processes race the first sign-ins of a day", async () => {
    const other = await startTestBackend({ now: () => clock, db: t.db, sessions: t.sessions });
    try {
      await t.api("POST", "/auth/register", { body: { username: "bonus_race", password: "correct horse battery" } });
      clock += DAY;
      const body = { username: "bonus_race", password: "correct horse battery" };
      const answers = await Promise.all([t, other, t, other].map((b) => b.api("POST", "/auth/login", { body })));
      assert.ok(answers.every((a) => a.status === 200));
      const granted = answers.filter((a) => a.body.daily_bonus !== null);
      assert.equal(granted.length, 1, JSON.stringify(answers.map((a) => a.body.daily_bonus)));
      const userId = answers[0].body.user.id;
      assert.equal((await bonusRows(userId)).length, 1);
      assert.equal((await t.api("GET", "/api/profile", { token: answers[0].body.access_token })).body.balance, 50);
    } finally {
      await other.close();
    }
  });

  it("does not offer POST /api/scores daily_bonus any more", async () => {
    const { body } = await t.login("bonus_minter");
    const res = await t.api("POST", "/api/scores", { token: body.access_token, body: { action_id: randomUUID(), action_type: "daily_bonus", points: 100 } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error_code, "INVALID_ACTION");
  });
});

describe(`progression: match credits (${storageMode})`, () => {
  let t: TestBackend;
  let service: ProgressionService;
  before(async () => {
    t = await startTestBackend();
    service = createProgressionService({
      repo: createPointsRepository(t.db),
      now: Date.now,
      log: pino({ level: "silent" }),
      rules: { match: { placementMultipliers: DEFAULT_PLACEMENT_MULTIPLIERS, stepsParMs: 60_000 }, dailyBonus: { base: 50, streakBonus: 10, streakCap: 6 } },
      batch: { maxBatch: 64, maxWaitMs: 0, concurrency: 2 },
    });
  });
  after(async () => {
    await service.drain();
    await t.close();
  });

  const userIdOf = async (name: string) => (await t.login(name)).body.user.id as string;
  const matchRows = async (matchId: string) =>
    t.db.sql.query<{ user_id: number; amount: number }>("SELECT user_id, amount FROM points_ledger WHERE reason = 'match' AND reference = $1 ORDER BY user_id", [matchId]);
  const balance = async (userId: string) => Number((await t.db.sql.query<{ b: string }>("SELECT balance::text AS b FROM profiles WHERE user_id = $1", [Number(userId)]))[0]?.b ?? 0);

  function record(players: Array<Partial<MatchRecordBody["players"][number]>>, over: Partial<MatchRecordBody> = {}): MatchRecordBody {
    return {
      match_id: randomUUID(), room_code: "ABCD", mode: "classic", round: 1, solo: false, outcome: "completed",
      started_at: "2026-01-01T00:00:00.000Z", ended_at: "2026-01-01T00:00:30.000Z",
      players: players.map((p, i) => ({ user_id: null, nick: `p${i}`, guest: false, score: 10, placement: i + 1, flagged: false, finished: false, result_saved: true, result_id: null, ...p })),
      ...over,
    };
  }

  it("credits placement × points scored; guests get no line, flagged players 0", async () => {
    const [a, b, c, d] = await Promise.all(["match_first", "match_second", "match_flagged", "match_fourth"].map(userIdOf));
    const rec = record([
      { user_id: a, score: 20, placement: 1 },
      { user_id: b, score: 15, placement: 2 },
      { user_id: null, guest: true, score: 14, placement: 3, nick: "guest#1" },
      { user_id: d, score: 7, placement: 4 },
      { user_id: c, score: 30, placement: 5, flagged: true },
    ]);
    assert.deepEqual(await service.creditMatch(rec), { [a]: 60, [b]: 30, [c]: 0, [d]: 7 });
    assert.deepEqual((await matchRows(rec.match_id)).map((r) => r.amount).sort((x, y) => x - y), [7, 30, 60]);
    assert.equal(await balance(a), 50 + 60);
  });

  it("never pays a replayed match record twice, even when the replays race", async () => {
    const [a, b] = await Promise.all(["replay_first", "replay_second"].map(userIdOf));
    const rec = record([{ user_id: a, score: 10 }, { user_id: b, score: 4 }]);
    const first = await service.creditMatch(rec);
    const replays = await Promise.all([service.creditMatch(rec), service.creditMatch(rec), service.creditMatch({ ...rec, players: [...rec.players].reverse() })]);
    for (const r of replays) assert.deepEqual(r, first);
    assert.deepEqual(first, { [a]: 30, [b]: 8 });
    assert.equal((await matchRows(rec.match_id)).length, 2);
    assert.equal(await balance(a), 50 + 30);
    const raced = record([{ user_id: a, score: 1 }]);
    await Promise.all(Array.from({ length: 5 }, () => service.creditMatch(raced)));
    assert.equal((await matchRows(raced.match_id)).length, 1);
    assert.equal(await balance(a), 50 + 30 + 3);
  });

  it("pays 1× in a solo room and nothing for a called-off match", async () => {
    const a = await userIdOf("solo_player");
    assert.deepEqual(await service.creditMatch(record([{ user_id: a, score: 12 }], { solo: true })), { [a]: 12 });
    assert.deepEqual(await service.creditMatch(record([{ user_id: a, score: 12, placement: 0 }], { outcome: "called_off" })), { [a]: 0 });
    assert.equal(await balance(a), 50 + 12);
  });

  it("converts a steps finish (1 + whole seconds under par) before multiplying", async () => {
    const [a, b] = await Promise.all(["steps_fast", "steps_dnf"].map(userIdOf));
    const rec = record([{ user_id: a, score: 20_500, finished: true }, { user_id: b, score: 0, finished: false }], { mode: "steps" });
    assert.deepEqual(await service.creditMatch(rec), { [a]: 3 * 40, [b]: 0 });
  });

  it("answers 0 for an account that does not exist, without failing the others", async () => {
    const a = await userIdOf("real_player");
    assert.deepEqual(await service.creditMatch(record([{ user_id: a, score: 5 }, { user_id: "2000000000", score: 5 }])), { [a]: 15, "2000000000": 0 });
  });
});
