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
