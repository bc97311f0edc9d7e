/** Below this many dropped entries a store is never compacted. */
const COMPACT_MIN = 64;

/**
 * Timestamps of a sliding window, in time order, as a value: `after` and `add` return a new
 * window and this one still reads as it was. Versions share one store array; a window is the
 * slice `[start, end)` of it. Dropping old entries moves `start`; the newest version of a store
 * (its tip) adds in place, any other version copies its slice first. So the burst deque costs
 * O(1) amortised per attempt instead of a filtered copy of the whole window. A store whose
 * dropped prefix outgrows its live part is compacted on the next add.
 */
export class TimeWindow implements Iterable<number> {
  private constructor(
    private readonly store: number[],
    private readonly start: number,
    private readonly end: number,
  ) {}

  static empty(): TimeWindow {
    return new TimeWindow([], 0, 0);
  }

  static from(timestamps: Iterable<number>): TimeWindow {
    let window = TimeWindow.empty();
    for (const ts of timestamps) window = window.add(ts);
    return window;
  }

  /** Timestamps in the window. */
  get length(): number {
    return this.end - this.start;
  }

  /** The window without its timestamps at or before `cutoff` (those are the oldest: the store is in time order). */
  after(cutoff: number): TimeWindow {
    let start = this.start;
    while (start < this.end && this.store[start] <= cutoff) start++;
    return start === this.start ? this : new TimeWindow(this.store, start, this.end);
  }

  /** The window with `ts` added in time order (after equal timestamps; before later ones if the clock went back). */
  add(ts: number): TimeWindow {
    const inOrder = this.length === 0 || this.store[this.end - 1] <= ts;
    const compact = this.start >= COMPACT_MIN && this.start > this.length;
    if (inOrder && !compact && this.store.length === this.end) {
      this.store.push(ts);
      return new TimeWindow(this.store, this.start, this.end + 1);
    }
    const store = this.store.slice(this.start, this.end);
    let at = store.length;
    while (at > 0 && store[at - 1] > ts) at--;
    store.splice(at, 0, ts);
    return new TimeWindow(store, 0, store.length);
  }

  /** The latest `count` timestamps, oldest first. */
  last(count: number): number[] {
    return this.store.slice(Math.max(this.start, this.end - count), this.end);
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = this.start; i < this.end; i++) yield this.store[i];
  }

  toArray(): number[] {
    return this.store.slice(this.start, this.end);
  }

  /** Logs and JSON show this version's timestamps only. */
  toJSON(): number[] {
    return this.toArray();
  }
}
