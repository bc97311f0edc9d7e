import type { AttemptRecord } from "@arena/shared/rules/login-throttle";

/**
 * The failure records of login throttling, one per scope key, changed by compare-and-swap so
 * concurrent logins (on any process, with Redis) never lose a count. Records expire on their own.
 */
export interface LoginAttemptStore {
  /** The record under `key`, or null. */
  get(key: string): Promise<AttemptRecord | null>;
  /**
   * Replaces the record under `key` with `next` (kept for `ttlMs`; null deletes it) only if it
   * still equals `expected` (null: absent); true when written, false when someone changed it first.
   */
  swap(key: string, expected: AttemptRecord | null, next: AttemptRecord | null, ttlMs: number): Promise<boolean>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** The stored form of a record: fixed field order, so equal records compare equal as text. */
export function encode(record: AttemptRecord | null): string | null {
  return record ? JSON.stringify({ failures: record.failures, lastAt: record.lastAt, lockedUntil: record.lockedUntil }) : null;
}
