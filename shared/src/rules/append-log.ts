/**
 * An append-only list that is a value: `append` returns a new log and this one still reads as
 * it was. Versions share one store array; a log is the store's first `length` entries. The
 * newest version of a store (its tip) appends in place; appending to an older version copies
 * its entries first. A session's point log thus costs O(1) amortised per point, not a copy of
 * every earlier point.
 */
export class AppendLog<T> implements Iterable<T> {
  private constructor(
    private readonly store: T[],
    /** Entries in this version. */
    readonly length: number,
  ) {}

  static empty<T>(): AppendLog<T> {
    return new AppendLog<T>([], 0);
  }

  static from<T>(items: Iterable<T>): AppendLog<T> {
    const store = [...items];
    return new AppendLog(store, store.length);
  }

  /** A log with `item` after this one's entries. */
  append(item: T): AppendLog<T> {
    const store = this.store.length === this.length ? this.store : this.store.slice(0, this.length);
    store.push(item);
    return new AppendLog(store, this.length + 1);
  }

  /** The entry at `index` (negative: from the end), as `Array.prototype.at`. */
  at(index: number): T | undefined {
    const i = index < 0 ? this.length + index : index;
    return i >= 0 && i < this.length ? this.store[i] : undefined;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.store[i];
  }

  map<U>(fn: (item: T, index: number) => U): U[] {
    const out = new Array<U>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = fn(this.store[i], i);
    return out;
  }

  toArray(): T[] {
    return this.store.slice(0, this.length);
  }

  /** Logs and JSON show this version's entries only. */
  toJSON(): T[] {
    return this.toArray();
  }
}
