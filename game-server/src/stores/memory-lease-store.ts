import type { LeaseStore, OnceAcquire } from "./lease-store.ts";

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
