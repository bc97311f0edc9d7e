/** What {@link LeaseStore.acquireOnce} did. */
export type OnceAcquire = { acquired: true } | { acquired: false; holder: string } | { acquired: false; marked: true };

/**
 * Keys that expire on their own unless their holder refreshes them: the building block of
 * presence, room codes, guest nicknames and room keys. A crashed holder's keys vanish after
 * their TTL, so nobody stays locked out longer than that.
 */
export interface LeaseStore {
  /** Sets `key` to `value` for `ttlMs` only if `key` is free; true when this call took it. */
  acquire(key: string, value: string, ttlMs: number): Promise<boolean>;
  /**
   * One atomic step: when `key` is free and `once` was never marked (within its TTL), sets
   * `key` to `value` for `ttlMs` and marks `once` for `onceTtlMs`. Otherwise writes nothing and
   * answers why: the live holder of `key` (checked first), or that `once` is already marked.
   */
  acquireOnce(key: string, value: string, ttlMs: number, once: string, onceTtlMs: number): Promise<OnceAcquire>;
  /** Sets `key` to `value` for `ttlMs`, replacing any holder. */
  put(key: string, value: string, ttlMs: number): Promise<void>;
  /** The live value of `key`, or null. */
  get(key: string): Promise<string | null>;
  /** Extends to `ttlMs` every lease whose key still holds its value; answers how many were extended. */
  refresh(leases: ReadonlyArray<readonly [key: string, value: string]>, ttlMs: number): Promise<number>;
  /** Deletes `key` if it still holds `value`; true when deleted. */
  release(key: string, value: string): Promise<boolean>;
  /** Deletes `key` whatever it holds. */
  delete(key: string): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** Single-process {@link LeaseStore}; `now` is injectable so tests can expire leases. */
export class MemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { value: string; expiresAt: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  async acquire(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.leases.set(key, { value, expiresAt: this.now() + ttlMs });
    return true;
  }

  async acquireOnce(key: string, value: string, ttlMs: number, once: string, onceTtlMs: number): Promise<OnceAcquire> {
    const held = this.live(key);
    if (held) return { acquired: false, holder: held.value };
    if (this.live(once)) return { acquired: false, marked: true };
    this.leases.set(key, { value, expiresAt: this.now() + ttlMs });
    this.leases.set(once, { value: "1", expiresAt: this.now() + onceTtlMs });
    return { acquired: true };
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    this.leases.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async refresh(leases: ReadonlyArray<readonly [string, string]>, ttlMs: number): Promise<number> {
    let extended = 0;
    for (const [key, value] of leases) {
      const lease = this.live(key);
      if (lease?.value !== value) continue;
      lease.expiresAt = this.now() + ttlMs;
      extended++;
    }
    return extended;
  }

  async release(key: string, value: string): Promise<boolean> {
    if (this.live(key)?.value !== value) return false;
    return this.leases.delete(key);
  }

  async delete(key: string): Promise<void> {
    this.leases.delete(key);
  }

  async close(): Promise<void> {
    this.leases.clear();
  }

  private live(key: string) {
    const lease = this.leases.get(key);
    if (lease && lease.expiresAt <= this.now()) {
      this.leases.delete(key);
      return undefined;
    }
    return lease;
  }
}
