/** Tuning of a {@link GroupCommitBatcher}. */
export interface BatcherOptions {
  /** Largest number of items committed together. */
  maxBatch: number;
  /** Extra time to wait for more items before committing a batch that is not full, ms (0 = next tick). */
  maxWaitMs: number;
  /** Batches allowed in flight at once. */
  concurrency: number;
}

interface Pending<In, Out> {
  item: In;
  resolve(out: Out): void;
  reject(err: unknown): void;
}

/**
 * Group commit: items submitted while a batch is being committed (or within `maxWaitMs`)
 * are committed together by ONE call of `process`, which must return one result per item
 * in order. Each caller's promise settles only after its batch's `process` settled, so a
 * caller hears "done" only once its item is durable.
 */
export class GroupCommitBatcher<In, Out> {
  private queue: Pending<In, Out>[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly process: (items: In[]) => Promise<Out[]>,
    private readonly options: BatcherOptions,
  ) {}

  /** Queues one item; resolves with its result once its batch committed. */
  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when nothing is queued or in flight. */
  async drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.inFlight >= this.options.concurrency || this.queue.length === 0) return;
    if (this.queue.length >= this.options.maxBatch) return this.flush();
    if (this.scheduled || this.timer) return;
    if (this.options.maxWaitMs > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, this.options.maxWaitMs);
    } else {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.inFlight >= this.options.concurrency || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.inFlight++;
    this.process(batch.map((p) => p.item))
      .then(
        (results) => batch.forEach((p, i) => p.resolve(results[i])),
        (err: unknown) => batch.forEach((p) => p.reject(err)),
      )
      .finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.schedule();
        else if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((w) => w());
      });
    if (this.queue.length > 0) this.schedule();
  }
}
