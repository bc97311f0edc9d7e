import type { LeaseStore, OnceAcquire } from "./lease-store.ts";

/** Entries at which the first sweep of expired leases runs. */
const FIRST_SWEEP_AT = 1024;

/**
 * Single-process {@link LeaseStore}; `now` is injectable so tests can expire leases. An expired lease
 * is dropped when it is next read, and by a sweep whenever the map has doubled since the last one
 * (a spent ticket's marker is never read again): memory stays proportional to the live leases, at
 * O(1) amortised cost per write.
 */
export class MemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { value: string; expiresAt: number }>();
  private sweepAt = FIRST_SWEEP_AT;
  constructor(private readonly now: () => number = Date.now) {}

  /** Leases held, expired ones not yet swept included (for tests and metrics). */
  get size(): number {
    return this.leases.size;
  }

  async acquire(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.set(key, value, ttlMs);
    return true;
  }

  async acquireOnce(key: string, value: string, ttlMs: number, once: string, onceTtlMs: number): Promise<OnceAcquire> {
    const held = this.live(key);
    if (held) return { acquired: false, holder: held.value };
    if (this.live(once)) return { acquired: false, marked: true };
    this.set(key, value, ttlMs);
    this.set(once, "1", onceTtlMs);
    return { acquired: true };
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    this.set(key, value, ttlMs);
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

  private set(key: string, value: string, ttlMs: number): void {
    this.leases.set(key, { value, expiresAt: this.now() + ttlMs });
    if (this.leases.size >= this.sweepAt) this.sweep();
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, lease] of this.leases) if (lease.expiresAt <= now) this.leases.delete(key);
    this.sweepAt = Math.max(FIRST_SWEEP_AT, this.leases.size * 2);
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
