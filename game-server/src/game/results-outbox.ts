import type { OutboxItem, OutboxStore } from "./outbox-store.ts";
import type { FlagBody, GameResultBody, ResultsSink, SinkOutcome } from "./results-sink.ts";

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
}

/** What happened to a submission's first delivery attempt. */
export type Delivery =
  | { delivered: true; body: Record<string, unknown> }
  | { delivered: false; queued: boolean; error: string };

/**
 * Delivers results and flags to the backend exactly once in effect: each item is
 * stored before the first attempt and removed only after the backend answered 2xx
 * (or a final 4xx). Failures are retried with exponential backoff by whichever
 * process drains the store; the backend's idempotency keys (result_id, flag_id)
 * make a repeated delivery harmless.
 */
export class ResultsOutbox {
  private readonly now: () => number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<number> | null = null;
  private closed = false;

  constructor(private readonly options: ResultsOutboxOptions) {
    this.now = options.now ?? Date.now;
    this.baseBackoffMs = options.baseBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1000;
  }

  /** Queues a game result and tries to deliver it at once. */
  submitResult(body: GameResultBody): Promise<Delivery> {
    return this.submit({ kind: "result", id: `result:${body.result_id}`, attempts: 0, body });
  }

  /** Queues a flag and tries to deliver it at once. */
  submitFlag(body: FlagBody): Promise<Delivery> {
    return this.submit({ kind: "flag", id: `flag:${body.flag_id}`, attempts: 0, body });
  }

  /** Starts the background drainer. */
  start(): this {
    if (!this.timer && !this.closed) this.schedule();
    return this;
  }

  /** Delivers every item due now; resolves with how many were delivered. */
  drain(): Promise<number> {
    this.draining ??= this.drainDue().finally(() => (this.draining = null));
    return this.draining;
  }

  /** Items still waiting for delivery. */
  pending(): Promise<number> {
    return this.options.store.size();
  }

  /** Stops the drainer (queued items stay in the store) and closes the store. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.draining?.catch(() => 0);
    await this.options.store.close();
  }

  private async submit(item: OutboxItem): Promise<Delivery> {
    try {
      const added = await this.options.store.add(item, this.now() + this.leaseMs);
      if (!added) return { delivered: false, queued: true, error: "already queued" };
    } catch (err) {
      this.options.log.error({ err, id: item.id }, "outbox store unavailable; delivering without a safety net");
    }
    return this.attempt(item);
  }

  private async attempt(item: OutboxItem): Promise<Delivery> {
    let outcome: SinkOutcome;
    try {
      outcome = item.kind === "result" ? await this.options.sink.postResult(item.body) : await this.options.sink.postFlag(item.body);
    } catch (err) {
      outcome = { ok: false, final: false, error: err instanceof Error ? err.message : String(err) };
    }
    const { store, log } = this.options;
    if (outcome.ok) {
      await store.remove(item.id).catch((err) => log.error({ err, id: item.id }, "outbox remove failed"));
      log.info({ id: item.id, attempts: item.attempts + 1 }, "outbox delivered");
      return { delivered: true, body: outcome.body };
    }
    if (outcome.final) {
      await store.remove(item.id).catch((err) => log.error({ err, id: item.id }, "outbox remove failed"));
      log.error({ id: item.id, status: outcome.status, error: outcome.error, item }, "outbox item refused by the backend; dropped");
      return { delivered: false, queued: false, error: outcome.error };
    }
    const next = { ...item, attempts: item.attempts + 1 };
    const delay = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** Math.min(20, item.attempts));
    await store.reschedule(next, this.now() + delay).catch((err) => log.error({ err, id: item.id }, "outbox reschedule failed"));
    log.warn({ id: item.id, attempts: next.attempts, retryInMs: delay, error: outcome.error }, "outbox delivery failed; will retry");
    return { delivered: false, queued: true, error: outcome.error };
  }

  private async drainDue(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const batch = await this.options.store.claim(this.now(), this.leaseMs, 20);
      if (batch.length === 0) return delivered;
      for (const item of batch) if ((await this.attempt(item)).delivered) delivered++;
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
