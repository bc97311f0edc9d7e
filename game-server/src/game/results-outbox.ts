import type { OutboxItem, OutboxStore } from "./outbox-store.ts";
import type { ChatBatchBody, FlagBody, GameResultBody, MatchRecordBody, ResultsSink, SinkOutcome } from "./results-sink.ts";

/** Minimal logger (pino-compatible). */
export interface GameLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ResultsOutboxOptions {
  store: OutboxStore;
  sink: ResultsSink;
  log: GameLog;
  now?: () => number;
  /** First retry delay, doubled per attempt up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a claimed item stays hidden from other drainers. */
  leaseMs?: number;
  /** How often the background drainer looks for due items. */
  pollMs?: number;
  /** Most items held in memory while the store is unreachable; beyond it a result is refused (not queued). */
  fallbackLimit?: number;
}

/** What happened to a submission's first delivery attempt. */
export type Delivery =
  | { delivered: true; body: Record<string, unknown> }
  | { delivered: false; queued: boolean; error: string };

/**
 * Delivers results, flags, match records and chat batches to the backend exactly once in effect: each item is
 * stored before the first attempt and removed only after the backend answered 2xx
 * (or a final 4xx). Failures are retried with exponential backoff by whichever
 * process drains the store; the backend's idempotency keys (result_id, flag_id, match_id, message_id)
 * make a repeated delivery harmless.
 *
 * When the store itself is unreachable (Redis down) an item that could not be delivered at
 * once is held in an in-memory fallback queue (bounded by `fallbackLimit`): the drainer retries
 * it and moves it into the store as soon as the store answers again. `queued: true` is only ever
 * answered for an item that sits in the store or in that fallback.
 */
export class ResultsOutbox {
  private readonly now: () => number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly fallbackLimit: number;
  /** Items the store could not take, by id, with their due time (this process only). */
  private readonly fallback = new Map<string, { item: OutboxItem; dueAt: number }>();
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<number> | null = null;
  private closed = false;

  constructor(private readonly options: ResultsOutboxOptions) {
    this.now = options.now ?? Date.now;
    this.baseBackoffMs = options.baseBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1000;
    this.fallbackLimit = options.fallbackLimit ?? 10_000;
  }

  /** Queues a game result and tries to deliver it at once. */
  submitResult(body: GameResultBody): Promise<Delivery> {
    return this.submit({ kind: "result", id: `result:${body.result_id}`, attempts: 0, body });
  }

  /** Queues a flag and tries to deliver it at once. */
  submitFlag(body: FlagBody): Promise<Delivery> {
    return this.submit({ kind: "flag", id: `flag:${body.flag_id}`, attempts: 0, body });
  }

  /** Queues a match record and tries to deliver it at once (the answer carries `points_earned`). */
  submitMatchRecord(body: MatchRecordBody): Promise<Delivery> {
    return this.submit({ kind: "match", id: `match:${body.match_id}`, attempts: 0, body });
  }

  /** Queues a batch of chat lines (named by its first line's id) and tries to deliver it at once. */
  submitChatBatch(body: ChatBatchBody): Promise<Delivery> {
    return this.submit({ kind: "chat", id: `chat:${body.messages[0].message_id}`, attempts: 0, body });
  }

  /** Starts the background drainer. */
  start(): this {
    if (!this.timer && !this.closed) this.schedule();
    return this;
  }

  /** Delivers every item due now (those held in memory even while the store is down); resolves with how many were delivered. */
  drain(): Promise<number> {
    this.draining ??= this.drainDue().finally(() => (this.draining = null));
    return this.draining;
  }

  /** Items still waiting for delivery (in the store, plus those held in memory while it is down). */
  async pending(): Promise<number> {
    return (await this.options.store.size()) + this.fallback.size;
  }

  /** Stops the drainer (queued items stay in the store) and closes the store. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.draining?.catch(() => 0);
    await this.moveFallbackToStore();
    for (const { item } of this.fallback.values()) this.options.log.error({ id: item.id, item }, "outbox closed with an item the store never took; lost");
    this.fallback.clear();
    await this.options.store.close();
  }

  private async submit(item: OutboxItem): Promise<Delivery> {
    let persisted = false;
    try {
      const added = await this.options.store.add(item, this.now() + this.leaseMs);
      if (!added) return { delivered: false, queued: true, error: "already queued" };
      persisted = true;
    } catch (err) {
      this.options.log.error({ err, id: item.id }, "outbox store unavailable; trying the backend at once");
    }
    return this.attempt(item, persisted);
  }

  /** One delivery attempt; `persisted` says whether the item sits in the store (else: in no queue yet). */
  private async attempt(item: OutboxItem, persisted: boolean): Promise<Delivery> {
    let outcome: SinkOutcome;
    try {
      outcome = await post(this.options.sink, item);
    } catch (err) {
      outcome = { ok: false, final: false, error: err instanceof Error ? err.message : String(err) };
    }
    const { store, log } = this.options;
    const forget = () => (persisted ? store.remove(item.id).catch((err) => log.error({ err, id: item.id }, "outbox remove failed")) : undefined);
    if (outcome.ok) {
      await forget();
      log.info({ id: item.id, attempts: item.attempts + 1 }, "outbox delivered");
      return { delivered: true, body: outcome.body };
    }
    if (outcome.final) {
      await forget();
      log.error({ id: item.id, status: outcome.status, error: outcome.error, item }, "outbox item refused by the backend; dropped");
      return { delivered: false, queued: false, error: outcome.error };
    }
    const next = { ...item, attempts: item.attempts + 1 };
    const delay = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** Math.min(20, item.attempts));
    if (!persisted) return this.holdInMemory(next, this.now() + delay, outcome.error);
    // If this fails the item is still in the store, leased: it is claimed again when the lease ends.
    await store.reschedule(next, this.now() + delay).catch((err) => log.error({ err, id: item.id }, "outbox reschedule failed; retried after its lease"));
    log.warn({ id: item.id, attempts: next.attempts, retryInMs: delay, error: outcome.error }, "outbox delivery failed; will retry");
    return { delivered: false, queued: true, error: outcome.error };
  }

  /** Keeps an item the store could not take in the in-memory fallback, unless that is full. */
  private holdInMemory(item: OutboxItem, dueAt: number, error: string): Delivery {
    const { log } = this.options;
    if (!this.fallback.has(item.id) && this.fallback.size >= this.fallbackLimit) {
      log.error({ id: item.id, item, error }, "outbox store unavailable and the in-memory fallback is full; not queued");
      return { delivered: false, queued: false, error };
    }
    this.fallback.set(item.id, { item, dueAt });
    log.warn({ id: item.id, attempts: item.attempts, retryInMs: dueAt - this.now(), error }, "outbox delivery failed, store unavailable; held in memory");
    return { delivered: false, queued: true, error };
  }

  /** Moves held items into the store (stops at the first failure); answers whether the store took them all. */
  private async moveFallbackToStore(): Promise<boolean> {
    for (const [id, { item, dueAt }] of [...this.fallback]) {
      try {
        await this.options.store.add(item, dueAt); // false: already queued there, which is as good
      } catch {
        return false;
      }
      this.fallback.delete(id);
    }
    return true;
  }

  /** The fallback first: into the store if it is back, else the due items straight to the backend. */
  private async drainFallback(): Promise<number> {
    if (this.fallback.size === 0) return 0;
    if (await this.moveFallbackToStore()) return 0; // the store claims them below
    let delivered = 0;
    const now = this.now();
    for (const [id, { item, dueAt }] of [...this.fallback]) {
      if (dueAt > now || this.closed) continue;
      this.fallback.delete(id);
      if ((await this.attempt(item, false)).delivered) delivered++;
    }
    return delivered;
  }

  private async drainDue(): Promise<number> {
    let delivered = await this.drainFallback();
    for (;;) {
      let batch: OutboxItem[];
      try {
        batch = await this.options.store.claim(this.now(), this.leaseMs, 20);
      } catch (err) {
        this.options.log.error({ err, heldInMemory: this.fallback.size }, "outbox store unavailable; its items wait for it");
        return delivered;
      }
      if (batch.length === 0) return delivered;
      for (const item of batch) if ((await this.attempt(item, true)).delivered) delivered++;
      if (this.closed) return delivered;
    }
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.drain()
        .catch((err) => this.options.log.error({ err }, "outbox drain failed"))
        .finally(() => {
          if (!this.closed) this.schedule();
        });
    }, this.pollMs);
    this.timer.unref();
  }
}

/** One attempt of an item on the sink route of its kind. */
function post(sink: ResultsSink, item: OutboxItem): Promise<SinkOutcome> {
  switch (item.kind) {
    case "result":
      return sink.postResult(item.body);
    case "flag":
      return sink.postFlag(item.body);
    case "match":
      return sink.postMatchRecord(item.body);
    case "chat":
      return sink.postChatBatch(item.body);
  }
}
