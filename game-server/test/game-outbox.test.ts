import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createHttpResultsSink } from "../src/game/http-results-sink.ts";
import { MemoryOutboxStore } from "../src/game/memory-outbox-store.ts";
import type { OutboxItem, OutboxStore } from "../src/game/outbox-store.ts";
import { RedisOutboxStore } from "../src/game/redis-outbox-store.ts";
import { ResultsOutbox, type GameLog } from "../src/game/results-outbox.ts";
import type { GameResultBody } from "../src/game/results-sink.ts";
import { createServiceTokenSigner } from "../src/game/service-token.ts";
import { fakeBackend } from "./game-fake-backend.ts";
import { Redis } from "ioredis";

const silent: GameLog = { info() {}, warn() {}, error() {} };
const REDIS_URL = process.env.REDIS_URL;

const stores: [string, () => OutboxStore][] = [["MemoryOutboxStore", () => new MemoryOutboxStore()]];
const redisPrefixes: string[] = [];
if (REDIS_URL) {
  stores.push([
    "RedisOutboxStore",
    () => {
      const prefix = `test:outbox:${randomUUID()}`;
      redisPrefixes.push(prefix);
      return new RedisOutboxStore(REDIS_URL, prefix);
    },
  ]);
  after(async () => {
    const redis = new Redis(REDIS_URL);
    for (const prefix of redisPrefixes) await redis.del(`${prefix}:due`, `${prefix}:items`);
    await redis.quit();
  });
}

const item = (id = randomUUID()): OutboxItem => ({ kind: "flag", id, attempts: 0, body: { flag_id: id, user_id: "1", reason: "X", evidence: {} } });

for (const [name, make] of stores) {
  describe(`OutboxStore: ${name}`, () => {
    let store: OutboxStore;
    beforeEach(() => (store = make()));
    afterEach(() => store.close());

    it("adds an id once", async () => {
      const a = item();
      assert.equal(await store.add(a, 0), true);
      assert.equal(await store.add({ ...a, attempts: 5 }, 0), false);
      assert.equal(await store.size(), 1);
    });

    it("claims only due items and hides them for the lease", async () => {
      const due = item();
      const later = item();
      await store.add(due, 100);
      await store.add(later, 10_000);
      assert.deepEqual((await store.claim(1000, 5000, 10)).map((i) => i.id), [due.id]);
      assert.deepEqual(await store.claim(1001, 5000, 10), [], "leased items are not claimed twice");
      assert.deepEqual((await store.claim(10_001, 5000, 10)).map((i) => i.id).sort(), [due.id, later.id].sort(), "an expired lease is claimable again");
    });

    it("reschedules with the attempt count and removes delivered items", async () => {
      const a = item();
      await store.add(a, 0);
      const [claimed] = await store.claim(10, 1000, 1);
      await store.reschedule({ ...claimed, attempts: 3 }, 50);
      const [again] = await store.claim(60, 1000, 1);
      assert.equal(again.attempts, 3);
      await store.remove(a.id);
      assert.equal(await store.size(), 0);
      assert.deepEqual(await store.claim(10_000, 1000, 10), []);
    });
  });
}

const result = (): GameResultBody => ({
  result_id: randomUUID(),
  user_id: "42",
  mode: "classic",
  score: 7,
  points: 7,
  started_at: new Date(0).toISOString(),
  ended_at: new Date(30_000).toISOString(),
});

for (const [name, make] of stores) {
  describe(`ResultsOutbox over HTTP (${name})`, () => {
    const keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const privatePem = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const publicPem = keys.publicKey.export({ type: "spki", format: "pem" }).toString();
    let backend: ReturnType<typeof fakeBackend>;
    let outbox: ResultsOutbox;
    let now = 1_000_000;
    let url = "";

    beforeEach(async () => {
      backend = fakeBackend(publicPem);
      url = await backend.listen();
      const sink = createHttpResultsSink({ backendUrl: url, serviceToken: createServiceTokenSigner(privatePem) });
      outbox = new ResultsOutbox({ store: make(), sink, log: silent, now: () => now, baseBackoffMs: 100, maxBackoffMs: 1000 });
    });
    afterEach(async () => {
      await outbox.close();
      await backend.close();
    });

    it("delivers a result at once with a valid service credential", async () => {
      const body = result();
      const delivery = await outbox.submitResult(body);
      assert.equal(delivery.delivered, true);
      assert.equal(backend.calls.length, 1);
      assert.deepEqual(backend.calls[0].body, body);
      assert.equal(backend.calls[0].auth.sub, "game-server");
      assert.equal(backend.calls[0].auth.typ, "service");
      assert.ok(backend.calls[0].auth.exp - backend.calls[0].auth.iat <= 300);
      assert.equal(await outbox.pending(), 0);
    });

    it("keeps results while the backend is down and stores each exactly once when it is back", async () => {
      backend.setDown(true);
      const bodies = [result(), result(), result()];
      for (const body of bodies) assert.deepEqual(await outbox.submitResult(body), { delivered: false, queued: true, error: "SERVICE_UNAVAILABLE" });
      now += 50;
      assert.equal(await outbox.drain(), 0, "nothing is due before the backoff");
      now += 100;
      assert.equal(await outbox.drain(), 0, "still down: retried and kept");
      assert.equal(await outbox.pending(), 3);
      backend.setDown(false);
      now += 10_000;
      assert.equal(await outbox.drain(), 3);
      assert.equal(await outbox.pending(), 0);
      assert.deepEqual([...backend.results.keys()].sort(), bodies.map((b) => b.result_id).sort());
      now += 100_000;
      assert.equal(await outbox.drain(), 0, "nothing is sent again");
    });

    it("the same result submitted twice reaches the backend as one stored result", async () => {
      const body = result();
      await outbox.submitResult(body);
      await outbox.submitResult(body);
      assert.equal(backend.results.size, 1);
    });

    it("drops an item the backend refuses for good (400: the result itself is invalid)", async () => {
      const delivery = await outbox.submitFlag({ flag_id: randomUUID(), user_id: "guest:bob#1", reason: "BURST_ABUSE", evidence: {} });
      assert.equal(delivery.delivered, false);
      assert.equal(delivery.delivered === false && delivery.queued, false);
      assert.equal(await outbox.pending(), 0);
    });

    it("keeps an item while the backend refuses the service credential (401: a deployment fault, not the player's)", async () => {
      await outbox.close();
      outbox = new ResultsOutbox({ store: make(), sink: createHttpResultsSink({ backendUrl: url, serviceToken: () => "not-a-jwt" }), log: silent, now: () => now });
      const delivery = await outbox.submitResult(result());
      assert.equal(delivery.delivered === false && delivery.queued, true);
      assert.equal(await outbox.pending(), 1);
    });

    it("retries when the backend cannot be reached at all", async () => {
      await outbox.close();
      outbox = new ResultsOutbox({
        store: make(),
        sink: createHttpResultsSink({ backendUrl: "http://127.0.0.1:1", serviceToken: () => "x", timeoutMs: 500 }),
        log: silent,
        now: () => now,
      });
      const delivery = await outbox.submitResult(result());
      assert.equal(delivery.delivered === false && delivery.queued, true);
      assert.equal(await outbox.pending(), 1);
    });
  });
}

if (REDIS_URL) {
  describe("ResultsOutbox: another process drains the Redis outbox", () => {
    const keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const privatePem = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const prefix = `test:outbox:${randomUUID()}`;
    let backend: ReturnType<typeof fakeBackend>;
    let url = "";
    const outboxes: ResultsOutbox[] = [];
    before(async () => {
      backend = fakeBackend(keys.publicKey.export({ type: "spki", format: "pem" }).toString());
      url = await backend.listen();
    });
    after(async () => {
      await Promise.all(outboxes.map((o) => o.close()));
      await backend.close();
      const redis = new Redis(REDIS_URL);
      await redis.del(`${prefix}:due`, `${prefix}:items`);
      await redis.quit();
    });

    it("a result queued by a process that then stops is stored once by another", async () => {
      const sink = createHttpResultsSink({ backendUrl: url, serviceToken: createServiceTokenSigner(privatePem) });
      let now = 5_000_000;
      const first = new ResultsOutbox({ store: new RedisOutboxStore(REDIS_URL, prefix), sink, log: silent, now: () => now, baseBackoffMs: 100 });
      backend.setDown(true);
      const body = result();
      assert.equal((await first.submitResult(body)).delivered, false);
      await first.close();
      backend.setDown(false);
      const second = new ResultsOutbox({ store: new RedisOutboxStore(REDIS_URL, prefix), sink, log: silent, now: () => now });
      outboxes.push(second);
      now += 1000;
      assert.equal(await second.drain(), 1);
      assert.deepEqual(backend.results.get(body.result_id), body);
      assert.equal(backend.calls.filter((c) => c.body.result_id === body.result_id && c.auth).length, 2, "one failed attempt, one stored");
    });

    it("two processes draining together deliver every item exactly once", async () => {
      const sink = createHttpResultsSink({ backendUrl: url, serviceToken: createServiceTokenSigner(privatePem) });
      const now = () => 9_000_000;
      const a = new ResultsOutbox({ store: new RedisOutboxStore(REDIS_URL, prefix), sink, log: silent, now });
      const b = new ResultsOutbox({ store: new RedisOutboxStore(REDIS_URL, prefix), sink, log: silent, now });
      outboxes.push(a, b);
      const store = new RedisOutboxStore(REDIS_URL, prefix);
      const bodies = Array.from({ length: 20 }, result);
      for (const body of bodies) await store.add({ kind: "result", id: `result:${body.result_id}`, attempts: 0, body }, 0);
      await store.close();
      const before = backend.calls.length;
      const [da, db] = await Promise.all([a.drain(), b.drain()]);
      assert.equal(da + db, 20);
      assert.equal(backend.calls.length - before, 20, "no item was sent twice");
      for (const body of bodies) assert.ok(backend.results.has(body.result_id));
    });
  });
}
