import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { Database } from "@arena/db";
import { openTestDatabase } from "@arena/db/test-database";
import { Redis } from "ioredis";
import { DbRankCache } from "../src/leaderboard/db-rank-cache.ts";
import type { RankCache, ScoreRow } from "../src/leaderboard/rank-cache.ts";
import { RedisRankCache } from "../src/leaderboard/redis-rank-cache.ts";
import { decodeMember, encodeMember } from "../src/leaderboard/rank-order.ts";

const T0 = Date.parse("2026-11-22T10:00:00Z");

async function addUsers(db: Database, n: number): Promise<number[]> {
  const rows = await db.sql.query<{ id: number }>(
    "INSERT INTO users (username, password_hash) SELECT 'rc_' || g || '_' || $2, 'x' FROM generate_series(1, $1) g RETURNING id",
    [n, randomBytes(3).toString("hex")],
  );
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** Writes rows to the database as the score repository would, then tells the cache. */
async function commit(db: Database, cache: RankCache, rows: ScoreRow[]): Promise<void> {
  for (const r of rows) {
    await db.sql.query(
      `INSERT INTO scores (board, period, user_id, score, reached_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (board, period, user_id) DO UPDATE SET score = excluded.score, reached_at = excluded.reached_at`,
      [r.board, r.period, r.userId, r.score, new Date(r.reachedAtMs)],
    );
  }
  await cache.apply(rows);
}

const kinds: { name: string; make(db: Database): Promise<{ cache: RankCache; redis?: Redis; prefix?: string }> }[] = [
  { name: "DbRankCache", make: async (db) => ({ cache: new DbRankCache(db.sql) }) },
  {
    name: "RedisRankCache",
    make: async (db) => {
      const redis = new Redis(process.env.REDIS_URL!);
      const prefix = `test:rc:${randomBytes(4).toString("hex")}:`;
      // The cache's clock is the test's: its period keys (d:2026-11-22) expire relative to T0.
      const cache = new RedisRankCache({ redis, db: new DbRankCache(db.sql), prefix, ttlSeconds: 60, now: () => T0 });
      for (const board of ["general", "steps"]) await cache.rebuild(board, "all");
      return { cache, redis, prefix };
    },
  },
];

describe("tie encoding", () => {
  it("round-trips and orders earlier reached_at, then lower user id, as the larger member", () => {
    const a = encodeMember({ userId: 7, reachedAtMs: T0 });
    assert.deepEqual(decodeMember(a), { userId: 7, reachedAtMs: T0 });
    assert.ok(encodeMember({ userId: 7, reachedAtMs: T0 - 1 }) > a, "earlier time sorts higher");
    assert.ok(encodeMember({ userId: 6, reachedAtMs: T0 }) > a, "lower id sorts higher on the same ms");
    assert.ok(encodeMember({ userId: 2_000_000_000, reachedAtMs: T0 - 1 }) > encodeMember({ userId: 1, reachedAtMs: T0 }));
  });
  it("refuses values outside the documented bounds", () => {
    assert.throws(() => encodeMember({ userId: 0, reachedAtMs: T0 }), RangeError);
    assert.throws(() => encodeMember({ userId: 1, reachedAtMs: 1e13 }), RangeError);
  });
});

for (const kind of kinds) {
  describe(`leaderboard rank cache: ${kind.name}`, function () {
    let db: Database;
    let cache: RankCache;
    let redis: Redis | undefined;
    let prefix = "";
    let u: number[];

    before(async function () {
      if (kind.name === "RedisRankCache" && !process.env.REDIS_URL) this.skip();
      db = await openTestDatabase();
      ({ cache, redis, prefix = "" } = await kind.make(db));
      u = await addUsers(db, 6);
    });
    after(async () => {
      if (redis) {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length) await redis.del(...keys);
        redis.disconnect();
      }
      await db?.close();
    });

    it("ranks by score, then earliest reached, then lowest id", async () => {
      await commit(db, cache, [
        { board: "general", period: "all", userId: u[0], score: 50, reachedAtMs: T0 + 30 },
        { board: "general", period: "all", userId: u[1], score: 80, reachedAtMs: T0 + 50 },
        { board: "general", period: "all", userId: u[2], score: 50, reachedAtMs: T0 + 10 },
        { board: "general", period: "all", userId: u[4], score: 50, reachedAtMs: T0 + 30 },
        { board: "general", period: "all", userId: u[3], score: 50, reachedAtMs: T0 + 30 },
      ]);
      const top = await cache.range("general", "all", 1, 10);
      assert.deepEqual(top.map((e) => e.userId), [u[1], u[2], u[0], u[3], u[4]]);
      assert.deepEqual(top.map((e) => e.rank), [1, 2, 3, 4, 5]);
      assert.deepEqual(top[1], { userId: u[2], score: 50, reachedAtMs: T0 + 10, rank: 2 });
      assert.deepEqual(await cache.ranks([
        { board: "general", period: "all", userId: u[4] },
        { board: "general", period: "all", userId: u[5] },
        { board: "general", period: "all", userId: u[1] },
      ]), [5, null, 1]);
      assert.equal(await cache.count("general", "all"), 5);
      assert.deepEqual((await cache.range("general", "all", 2, 3)).map((e) => e.userId), [u[2], u[0]]);
    });

    it("moves a player when the score grows and keeps the first to reach a tie ahead", async () => {
      await commit(db, cache, [{ board: "general", period: "all", userId: u[4], score: 80, reachedAtMs: T0 + 60 }]);
      const top = await cache.range("general", "all", 1, 3);
      assert.deepEqual(top.map((e) => [e.userId, e.score]), [[u[1], 80], [u[4], 80], [u[2], 50]]);
      assert.equal(await cache.count("general", "all"), 5);
    });

    it("ranks the steps board lowest time first", async () => {
      await commit(db, cache, [
        { board: "steps", period: "all", userId: u[0], score: 9000, reachedAtMs: T0 },
        { board: "steps", period: "all", userId: u[1], score: 4000, reachedAtMs: T0 + 5 },
        { board: "steps", period: "all", userId: u[2], score: 4000, reachedAtMs: T0 + 1 },
      ]);
      assert.deepEqual((await cache.range("steps", "all", 1, 10)).map((e) => [e.userId, e.score]), [[u[2], 4000], [u[1], 4000], [u[0], 9000]]);
    });

    it("keeps scores near 2^53 exact", async () => {
      const big = Number.MAX_SAFE_INTEGER;
      await commit(db, cache, [
        { board: "general", period: "d:2026-11-22", userId: u[0], score: big - 1, reachedAtMs: T0 },
        { board: "general", period: "d:2026-11-22", userId: u[1], score: big, reachedAtMs: T0 + 9 },
      ]);
      if (kind.name === "RedisRankCache") await (cache as RedisRankCache).rebuild("general", "d:2026-11-22");
      const top = await cache.range("general", "d:2026-11-22", 1, 2);
      assert.deepEqual(top.map((e) => [e.userId, e.score]), [[u[1], big], [u[0], big - 1]]);
    });

    it("applies and ranks in one call (the commit path)", async () => {
      const rows = [
        { board: "shaky", period: "all", userId: u[0], score: 5, reachedAtMs: T0 },
        { board: "shaky", period: "all", userId: u[1], score: 9, reachedAtMs: T0 },
      ];
      for (const r of rows) {
        await db.sql.query("INSERT INTO scores (board, period, user_id, score, reached_at) VALUES ($1, $2, $3, $4, $5)", [r.board, r.period, r.userId, r.score, new Date(r.reachedAtMs)]);
      }
      if (kind.name === "RedisRankCache") await (cache as RedisRankCache).rebuild("shaky", "all");
      const ranks = await cache.applyAndRank(rows, rows.map((r) => ({ board: r.board, period: r.period, userId: r.userId })));
      assert.deepEqual(ranks, [2, 1]);
    });

    it("answers correctly when the cache is missing, then rebuilds it", async function () {
      if (!redis) this.skip();
      const before = await cache.range("general", "all", 1, 10);
      const keys = await redis.keys(`${prefix}*general:all`);
      await redis.del(...keys);
      assert.deepEqual(await cache.range("general", "all", 1, 10), before, "served from the database meanwhile");
      assert.deepEqual(await cache.ranks([{ board: "general", period: "all", userId: before[1].userId }]), [2], "ranks too");
      await (cache as RedisRankCache).rebuild("general", "all");
      assert.equal(await redis.zcard(`${prefix}lb:general:all`), 5);
      assert.deepEqual(await cache.range("general", "all", 1, 10), before);
    });

    it("does not let a stale (worse) entry overwrite a better one", async function () {
      if (!redis) this.skip();
      await cache.apply([{ board: "general", period: "all", userId: u[4], score: 10, reachedAtMs: T0 }]);
      assert.deepEqual(await cache.ranks([{ board: "general", period: "all", userId: u[4] }]), [2]);
    });
  });
}

describe("RedisRankCache rebuild", function () {
  let db: Database;
  let redis: Redis;
  let prefix: string;
  let u: number[];
  before(async function () {
    if (!process.env.REDIS_URL) this.skip();
    db = await openTestDatabase();
    redis = new Redis(process.env.REDIS_URL!);
    prefix = `test:rb:${randomBytes(4).toString("hex")}:`;
    u = await addUsers(db, 4);
  });
  after(async () => {
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    await db?.close();
  });
  const row = (userId: number, score: number): ScoreRow => ({ board: "classic", period: "all", userId, score, reachedAtMs: T0 });
  const ids = async (cache: RankCache) => (await cache.range("classic", "all", 1, 10)).map((e) => [e.userId, e.score]);

  it("drops entries the database no longer has (a stale member disappears)", async () => {
    const dbCache = new DbRankCache(db.sql);
    const cache = new RedisRankCache({ redis, db: dbCache, prefix, ttlSeconds: 60 });
    await commit(db, cache, [row(u[0], 30), row(u[1], 20)]);
    await cache.rebuild("classic", "all");
    await cache.apply([row(u[2], 99)]); // e.g. a banned user whose removeUser failed: no database row
    assert.deepEqual(await ids(cache), [[u[2], 99], [u[0], 30], [u[1], 20]]);
    await cache.rebuild("classic", "all");
    assert.deepEqual(await ids(cache), [[u[0], 30], [u[1], 20]]);
    assert.equal(await cache.count("classic", "all"), 2);
    assert.equal(await redis.hexists(`${prefix}lbm:classic:all`, String(u[2])), 0);
    assert.deepEqual(await redis.keys(`${prefix}lbt*`), [], "no temporaries left");
  });

  it("expires a period's keys a day after it ends on the app's clock, whatever the Redis host's clock says", async () => {
    const at = Date.parse("2001-03-04T12:00:00Z"); // long past on any Redis host
    const cache = new RedisRankCache({ redis, db: new DbRankCache(db.sql), prefix, ttlSeconds: 60, now: () => at });
    const daily = (userId: number, score: number): ScoreRow => ({ board: "classic", period: "d:2001-03-04", userId, score, reachedAtMs: at });
    await commit(db, cache, [daily(u[0], 7)]);
    await cache.rebuild("classic", "d:2001-03-04");
    await cache.apply([daily(u[1], 9)]);
    assert.deepEqual((await cache.range("classic", "d:2001-03-04", 1, 10)).map((e) => [e.userId, e.score]), [[u[1], 9], [u[0], 7]]);
    const left = 36 * 3_600_000; // the day ends at midnight, then one more day
    for (const key of [`${prefix}lb:classic:d:2001-03-04`, `${prefix}lbm:classic:d:2001-03-04`]) {
      const ttl = await redis.pttl(key);
      assert.ok(ttl > left - 60_000 && ttl <= left, `${key} lives ~36 h (pttl ${ttl})`);
    }
  });

  it("keeps a commit applied while it runs, and is dropped when a removal overlaps it", async () => {
    let during: (() => Promise<void>) | undefined;
    class HookedDb extends DbRankCache {
      override async range(board: string, period: string, from: number, to: number) {
        const entries = await super.range(board, period, from, to);
        const hook = during;
        during = undefined;
        await hook?.();
        return entries;
      }
    }
    const cache = new RedisRankCache({ redis, db: new HookedDb(db.sql), prefix, ttlSeconds: 60 });
    // A commit lands after the rebuild read the database: it must survive the RENAME.
    during = () => commit(db, cache, [row(u[3], 50)]);
    await cache.rebuild("classic", "all");
    assert.deepEqual(await ids(cache), [[u[3], 50], [u[0], 30], [u[1], 20]]);
    // A ban lands after the rebuild read the database: the rebuild must not bring the user back.
    during = async () => {
      await db.sql.query("DELETE FROM scores WHERE user_id = $1", [u[0]]);
      await cache.removeUser(u[0], [{ board: "classic", period: "all" }]);
    };
    await redis.del(`${prefix}lbr:classic:all`);
    await cache.rebuild("classic", "all");
    assert.equal(await redis.hexists(`${prefix}lbm:classic:all`, String(u[0])), 0, "the removed user is not back");
    assert.deepEqual(await ids(cache), [[u[3], 50], [u[1], 20]]);
    await cache.rebuild("classic", "all");
    assert.equal(await redis.exists(`${prefix}lbr:classic:all`), 1, "the next rebuild completes");
    assert.deepEqual(await ids(cache), [[u[3], 50], [u[1], 20]]);
  });
});

describe("RedisRankCache when Redis is unreachable", () => {
  it("answers from the database", async () => {
    const db = await openTestDatabase();
    const redis = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    redis.on("error", () => {});
    try {
      const [u] = await addUsers(db, 1);
      const dbCache = new DbRankCache(db.sql);
      await commit(db, dbCache, [{ board: "general", period: "all", userId: u, score: 12, reachedAtMs: T0 }]);
      const cache = new RedisRankCache({ redis, db: dbCache, prefix: "unreachable:", ttlSeconds: 60 });
      assert.deepEqual((await cache.range("general", "all", 1, 10)).map((e) => [e.userId, e.score]), [[u, 12]]);
      assert.equal(await cache.count("general", "all"), 1);
    } finally {
      redis.disconnect();
      await db.close();
    }
  });
});
