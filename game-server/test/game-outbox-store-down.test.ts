import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { MemoryOutboxStore } from "../src/game/memory-outbox-store.ts";
import type { OutboxItem, OutboxStore } from "../src/game/outbox-store.ts";
import { ResultsOutbox } from "../src/game/results-outbox.ts";
import type { FlagBody, GameResultBody, ResultsSink, SinkOutcome } from "../src/game/results-sink.ts";

/** An OutboxStore whose every call fails while `down` (Redis unreachable), else a memory store. */
class FlakyOutboxStore implements OutboxStore {
  down = false;
  readonly inner = new MemoryOutboxStore();
  private check() {
    if (this.down) throw Object.assign(new Error("Connection is closed."), { name: "MaxRetriesPerRequestError" });
  }
  async add(item: OutboxItem, dueAt: number) {
    this.check();
    return this.inner.add(item, dueAt);
  }
  async claim(now: number, leaseMs: number, limit: number) {
    this.check();
    return this.inner.claim(now, leaseMs, limit);
  }
  async remove(id: string) {
    this.check();
    return this.inner.remove(id);
  }
  async reschedule(item: OutboxItem, dueAt: number) {
    this.check();
    return this.inner.reschedule(item, dueAt);
  }
  async size() {
    this.check();
    return this.inner.size();
  }
  async close() {}
}

/** A ResultsSink (the backend) that is down or stores each result once by id. */
class FakeSink implements ResultsSink {
  down = false;
  readonly stored = new Map<string, GameResultBody>();
  attempts = 0;
  async postResult(body: GameResultBody): Promise<SinkOutcome> {
    this.attempts++;
    if (this.down) return { ok: false, final: false, status: 503, error: "SERVICE_UNAVAILABLE" };
    this.stored.set(body.result_id, body);
    return { ok: true, body: { board: body.mode, new_score: body.score, rank: 1 } };
  }
  async postFlag(_body: FlagBody): Promise<SinkOutcome> {
    return { ok: true, body: {} };
  }
  async postMatchRecord(): Promise<SinkOutcome> {
    return { ok: true, body: {} };
  }
  async postChatBatch(): Promise<SinkOutcome> {
    return { ok: true, body: {} };
  }
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

describe("ResultsOutbox while its store is unreachable", () => {
  let store: FlakyOutboxStore;
  let sink: FakeSink;
  let outbox: ResultsOutbox;
  let now: number;
  let errors: string[];
  const make = (fallbackLimit?: number) =>
    new ResultsOutbox({
      store, sink, now: () => now, baseBackoffMs: 100, maxBackoffMs: 1000, fallbackLimit,
      log: { info() {}, warn() {}, error: (_obj, msg) => void errors.push(msg ?? "") },
    });

  beforeEach(() => {
    store = new FlakyOutboxStore();
    sink = new FakeSink();
    now = 1_000_000;
    errors = [];
    outbox = make();
  });
  afterEach(() => outbox.close());

  it("keeps a result that neither the store nor the backend took, and delivers it when the backend is back", async () => {
    store.down = true;
    sink.down = true;
    const body = result();
    const delivery = await outbox.submitResult(body);
    assert.deepEqual(delivery, { delivered: false, queued: true, error: "SERVICE_UNAVAILABLE" });
    now += 50;
    assert.equal(await outbox.drain(), 0, "not due yet");
    now += 100;
    assert.equal(await outbox.drain(), 0, "backend still down: retried, kept");
    assert.equal(sink.attempts, 2);
    sink.down = false;
    now += 10_000;
    assert.equal(await outbox.drain(), 1, "delivered from memory while the store is still down");
    assert.deepEqual(sink.stored.get(body.result_id), body);
    now += 100_000;
    assert.equal(await outbox.drain(), 0, "and not sent again");
    assert.equal(sink.attempts, 3);
  });

  it("moves held results into the store as soon as it answers again; the store's drain delivers them once", async () => {
    store.down = true;
    sink.down = true;
    const bodies = [result(), result()];
    for (const body of bodies) assert.deepEqual(await outbox.submitResult(body), { delivered: false, queued: true, error: "SERVICE_UNAVAILABLE" });
    assert.equal((await outbox.submitResult(bodies[0])).delivered, false, "a resend while still down is held once");
    store.down = false;
    assert.equal(await outbox.drain(), 0, "backend still down");
    assert.equal(await store.inner.size(), 2, "both are in the store now");
    assert.equal(await outbox.pending(), 2, "and counted once");
    sink.down = false;
    now += 10_000;
    assert.equal(await outbox.drain(), 2);
    assert.deepEqual([...sink.stored.keys()].sort(), bodies.map((b) => b.result_id).sort());
    assert.equal(await outbox.pending(), 0);
  });

  it("answers queued: false once the in-memory fallback is full (the player is told it was not saved)", async () => {
    await outbox.close();
    outbox = make(1);
    store.down = true;
    sink.down = true;
    assert.equal((await outbox.submitResult(result())).delivered === false, true);
    const refused = await outbox.submitResult(result());
    assert.deepEqual(refused, { delivered: false, queued: false, error: "SERVICE_UNAVAILABLE" });
  });

  it("still delivers at once when only the store is down", async () => {
    store.down = true;
    const delivery = await outbox.submitResult(result());
    assert.equal(delivery.delivered, true);
    store.down = false;
    assert.equal(await outbox.pending(), 0, "nothing left behind");
  });

  it("a result the store already holds is not doubled by a failed reschedule", async () => {
    sink.down = true;
    const body = result();
    await outbox.submitResult(body); // stored, first attempt failed, rescheduled
    now += 1000;
    store.down = true;
    assert.equal(await outbox.drain(), 0, "the drain cannot claim while the store is down");
    assert.equal(sink.attempts, 1);
    store.down = false;
    sink.down = false;
    now += 10_000;
    assert.equal(await outbox.drain(), 1);
    assert.equal(sink.stored.size, 1);
    assert.equal(await outbox.pending(), 0);
  });

  it("logs, with the item, a result still held in memory when it closes with the store down", async () => {
    store.down = true;
    sink.down = true;
    await outbox.submitResult(result());
    await outbox.close();
    assert.ok(errors.some((msg) => /never took; lost/.test(msg)));
  });
});
