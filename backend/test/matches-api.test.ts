import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { InternalRoute, MatchOutcome, type MatchPlayer, type MatchRecordBody } from "@arena/shared/contracts/internal-api";
import type { TestBackend } from "./support/test-backend.ts";
import { eventually, newPlayer, serviceKeys, startScoresBackend } from "./scores-support.ts";

const mode = `${process.env.DATABASE_URL ? "postgres" : "pglite"} + ${process.env.REDIS_URL ? "redis" : "memory"}`;

const account = (userId: string, nick: string, score: number, placement: number): MatchPlayer => ({
  user_id: userId, nick, guest: false, score, placement, flagged: false, finished: true, result_saved: true, result_id: randomUUID(),
});
const guest = (nick: string, score: number, placement: number): MatchPlayer => ({
  user_id: null, nick, guest: true, score, placement, flagged: false, finished: true, result_saved: false, result_id: null,
});

/** The suite's reference instant: rounds given the same age end in the same millisecond. */
const T0 = Date.now();

/** A completed classic round that ended `endedMinutesAgo` minutes before T0. */
function match(players: MatchPlayer[], endedMinutesAgo = 0, overrides: Partial<MatchRecordBody> = {}): MatchRecordBody {
  const ended = T0 - endedMinutesAgo * 60_000;
  return {
    match_id: randomUUID(),
    room_code: "ABCDE",
    mode: "classic",
    round: 1,
    solo: false,
    outcome: MatchOutcome.Completed,
    started_at: new Date(ended - 30_000).toISOString(),
    ended_at: new Date(ended).toISOString(),
    players,
    ...overrides,
  };
}

describe(`POST /internal/match-records (${mode})`, function () {
  let backend: TestBackend;
  const keys = serviceKeys();
  before(async () => {
    backend = await startScoresBackend({ SERVICE_PUBLIC_KEY: keys.publicPem });
  });
  after(async () => backend?.close());

  /** `token` null sends no Authorization header. */
  const post = (body: unknown, token: string | null = keys.sign()) => backend.api("POST", InternalRoute.MatchRecords, { token: token ?? undefined, body });
  const stored = async (matchId: string) => ({
    matches: await backend.db.prisma.match.count({ where: { matchId } }),
    players: await backend.db.prisma.matchPlayer.count({ where: { matchId } }),
  });

  it("stores a match once with every player line, and answers a replay without storing again", async () => {
    const a = await newPlayer(backend);
    const b = await newPlayer(backend);
    const body = match([account(a.id, a.username, 12, 1), guest("neo", 9, 2), account(b.id, b.username, 3, 3)]);
    const first = await post(body);
    assert.equal(first.status, 200);
    // Profile points: 1st 3× 12, 3rd floor(1.5× 3) (see docs/progression.md).
    assert.deepEqual(first.body, { success: true, match_id: body.match_id, replay: false, points_earned: { [a.id]: 36, [b.id]: 4 } });
    assert.deepEqual(await stored(body.match_id), { matches: 1, players: 3 });

    const lines = await backend.db.prisma.matchPlayer.findMany({ where: { matchId: body.match_id }, orderBy: { seat: "asc" } });
    assert.deepEqual(lines.map((l) => [l.seat, l.userId, l.nick, l.guest, Number(l.score), l.placement, l.resultId]), [
      [0, Number(a.id), a.username, false, 12, 1, body.players[0].result_id],
      [1, null, "neo", true, 9, 2, null],
      [2, Number(b.id), b.username, false, 3, 3, body.players[2].result_id],
    ]);

    const again = await post(body);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, { ...first.body, replay: true });
    assert.deepEqual(await stored(body.match_id), { matches: 1, players: 3 });
  });

  it("stores concurrent duplicates once: exactly one answer is not a replay", async () => {
    const a = await newPlayer(backend);
    const body = match([account(a.id, a.username, 5, 1), guest("trinity", 4, 2)]);
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(body)));
    assert.deepEqual(answers.map((r) => r.status), Array(8).fill(200));
    assert.equal(answers.filter((r) => r.body.replay === false).length, 1);
    assert.deepEqual(await stored(body.match_id), { matches: 1, players: 2 });
  });

  it("stores a called-off round with placements 0", async () => {
    const a = await newPlayer(backend);
    const body = match([{ ...account(a.id, a.username, 2, 0), finished: false, result_saved: false, result_id: null }, guest("morpheus", 1, 0)], 0, { outcome: MatchOutcome.CalledOff, mode: "steps", round: 4 });
    assert.equal((await post(body)).status, 200);
    const row = await backend.db.prisma.match.findUniqueOrThrow({ where: { matchId: body.match_id } });
    assert.deepEqual([row.outcome, row.mode, row.round], ["called_off", "steps", 4]);
  });

  it("answers 400 VALIDATION_FAILED (final) for bad bodies and stores nothing", async () => {
    const a = await newPlayer(backend);
    const b = await newPlayer(backend);
    const ok = () => match([account(a.id, a.username, 3, 1), account(b.id, b.username, 2, 2)]);
    const bad: Array<[string, unknown]> = [
      ["not an object", "[]"],
      ["unknown mode", { ...ok(), mode: "chess" }],
      ["no players", { ...ok(), players: [] }],
      ["bad match id", { ...ok(), match_id: "m-1" }],
      ["negative score", { ...ok(), players: [{ ...account(a.id, a.username, 3, 1), score: -1 }] }],
      ["ended before started", { ...ok(), started_at: new Date().toISOString(), ended_at: new Date(Date.now() - 1000).toISOString() }],
      ["guest with a user id", { ...ok(), players: [{ ...account(a.id, a.username, 3, 1), guest: true }] }],
      ["account without a user id", { ...ok(), players: [{ ...guest("x", 3, 1), guest: false }] }],
      ["a user twice", { ...ok(), players: [account(a.id, a.username, 3, 1), account(a.id, a.username, 3, 1)] }],
      ["placement beyond the field", { ...ok(), players: [account(a.id, a.username, 3, 1), account(b.id, b.username, 2, 3)] }],
      ["round beyond integer", { ...ok(), round: 2_147_483_648 }],
      ["user id beyond integer", { ...ok(), players: [account("2147483648", "big", 3, 1)] }],
    ];
    for (const [why, body] of bad) {
      const res = await post(body);
      assert.deepEqual([res.status, res.body.error_code], [400, "VALIDATION_FAILED"], why);
      if (typeof body === "object" && body && "match_id" in body && body.match_id !== "m-1") assert.deepEqual(await stored(String(body.match_id)), { matches: 0, players: 0 }, why);
    }
  });

  it("answers 400 VALIDATION_FAILED for an unknown user and stores none of the match", async () => {
    const a = await newPlayer(backend);
    const body = match([account(a.id, a.username, 3, 1), account("2147483647", "ghost", 1, 2)]);
    const res = await post(body);
    assert.deepEqual([res.status, res.body.error_code], [400, "VALIDATION_FAILED"]);
    assert.deepEqual(await stored(body.match_id), { matches: 0, players: 0 });
  });

  it("refuses a wrong, absent or identity credential with 401 and stores nothing", async () => {
    const a = await newPlayer(backend);
    const body = match([account(a.id, a.username, 3, 1)]);
    for (const token of [null, a.token, serviceKeys().sign(), keys.sign({}, { kid: "other" }), keys.sign({ typ: "identity" })]) {
      const res = await post(body, token);
      assert.deepEqual([res.status, res.body.error_code], [401, "UNAUTHORIZED"], String(token).slice(0, 20));
    }
    assert.deepEqual(await stored(body.match_id), { matches: 0, players: 0 });
    await eventually(() => backend.db.prisma.auditLog.findFirst({ where: { event: "auth.failed", data: { path: ["path"], equals: InternalRoute.MatchRecords } } }));
  });
});

describe(`GET /api/me/matches (${mode})`, function () {
  let backend: TestBackend;
  const keys = serviceKeys();
  before(async () => {
    backend = await startScoresBackend({ SERVICE_PUBLIC_KEY: keys.publicPem });
  });
  after(async () => backend?.close());

  const record = async (body: MatchRecordBody) => assert.equal((await backend.api("POST", InternalRoute.MatchRecords, { token: keys.sign(), body })).status, 200);
  const list = (token: string | undefined, query = "") => backend.api("GET", `/api/me/matches${query}`, { token });

  it("needs a logged-in player", async () => {
    const res = await list(undefined);
    assert.deepEqual([res.status, res.body.error_code], [401, "UNAUTHORIZED"]);
  });

  it("lists only the caller's matches, newest first, told from their seat", async () => {
    const a = await newPlayer(backend, "alice");
    const b = await newPlayer(backend, "bob");
    const c = await newPlayer(backend, "carol");
    const older = match([account(a.id, a.username, 10, 1), account(b.id, b.username, 8, 2)], 60);
    const newer = match([guest("zed", 20, 1), { ...account(a.id, a.username, 7, 2), flagged: true }], 5, { room_code: "QWERT", mode: "shaky", round: 2 });
    const notHers = match([account(b.id, b.username, 1, 1), account(c.id, c.username, 0, 2)], 1);
    for (const body of [older, newer, notHers]) await record(body);

    const mine = await list(a.token);
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body.matches.map((m: any) => m.match_id), [newer.match_id, older.match_id]);
    assert.equal(mine.body.next_before, null);
    const [top] = mine.body.matches;
    assert.deepEqual(
      { room_code: top.room_code, mode: top.mode, round: top.round, outcome: top.outcome, started_at: top.started_at, ended_at: top.ended_at },
      { room_code: "QWERT", mode: "shaky", round: 2, outcome: "completed", started_at: newer.started_at, ended_at: newer.ended_at },
    );
    assert.deepEqual(top.me, { score: 7, placement: 2, flagged: true, finished: true, result_saved: true, points_earned: 0 });
    assert.deepEqual(top.players, [
      { nick: "zed", guest: true, score: 20, placement: 1, finished: true, you: false },
      { nick: a.username, guest: false, score: 7, placement: 2, finished: true, you: true },
    ]);

    const bobs = (await list(b.token)).body.matches.map((m: any) => m.match_id);
    assert.deepEqual(bobs, [notHers.match_id, older.match_id]);
    assert.deepEqual((await list(c.token)).body.matches.map((m: any) => m.match_id), [notHers.match_id]);
  });

  it("pages with ?before= and ?limit= without losing or repeating a match, ties broken by match id", async () => {
    const p = await newPlayer(backend, "pager");
    const bodies = [0, 10, 10, 10, 20, 30, 40].map((ago) => match([account(p.id, p.username, ago, 1)], ago));
    for (const body of bodies) await record(body);
    const expected = [...bodies].sort((x, y) => Date.parse(y.ended_at) - Date.parse(x.ended_at) || (y.match_id < x.match_id ? -1 : 1)).map((b) => b.match_id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(p.token, `?limit=3${cursor ? `&before=${cursor}` : ""}`);
      assert.equal(res.status, 200);
      assert.ok(res.body.matches.length <= 3);
      seen.push(...res.body.matches.map((m: any) => m.match_id));
      cursor = res.body.next_before;
      pages++;
    } while (cursor && pages < 10);
    assert.deepEqual(seen, expected);
    assert.equal(pages, 3);
    assert.equal((await list(p.token)).body.matches.length, 7, "default limit 20");
  });

  it("is in the OpenAPI document with the routes of the chat audit trail", async () => {
    const doc = (await backend.api("GET", "/openapi.json")).body;
    assert.ok(doc.paths["/api/me/matches"].get.parameters.some((p: any) => p.name === "before"));
    assert.ok(doc.paths[InternalRoute.MatchRecords].post.requestBody.content["application/json"].schema.required.includes("match_id"));
    assert.ok(doc.paths[InternalRoute.ChatMessages].post);
    assert.ok(doc.paths["/api/admin/rooms/{code}/chat"].get);
  });

  it("answers 400 VALIDATION_FAILED for a bad limit or cursor", async () => {
    const p = await newPlayer(backend);
    for (const query of ["?limit=0", "?limit=51", "?limit=x", "?before=not-a-cursor", `?before=${Buffer.from("2026-01-01T00:00:00Z|nope").toString("base64url")}`]) {
      const res = await list(p.token, query);
      assert.deepEqual([res.status, res.body.error_code], [400, "VALIDATION_FAILED"], query);
    }
  });
});
