/**
 * Login throttling (OWASP Authentication Cheat Sheet, "Login Throttling"): failed logins are
 * counted per scope — one username from one client IP, one client IP over every username, one
 * username over every IP — and a scope that reaches its threshold is locked for a time that
 * doubles with each further failure. Pure functions over a small record; the clock is a parameter.
 * Nothing here knows whether a username exists, so unknown and known names behave the same.
 */

/** How one scope counts and locks. */
export interface ThrottlePolicy {
  /** Failures (within `windowMs` of each other) that lock the scope. */
  threshold: number;
  /** First lock, ms; doubles with each failure past the threshold. */
  baseMs: number;
  /** Longest lock, ms. */
  maxMs: number;
  /** A scope quiet for this long forgets its failures, ms. */
  windowMs: number;
}

/** The failures of one scope. */
export interface AttemptRecord {
  /** Failures counted (attempts reserved before their password was checked included). */
  failures: number;
  /** When the last failure was counted, epoch ms. */
  lastAt: number;
  /** Locked until then, epoch ms (0: not locked). */
  lockedUntil: number;
}

/** Milliseconds the scope stays locked at `nowMs` (0 when open). */
export function lockedFor(record: AttemptRecord | null, nowMs: number): number {
  return record ? Math.max(0, record.lockedUntil - nowMs) : 0;
}

/** The lock that `failures` failures earn: none below the threshold, then base · 2^(failures − threshold), capped. */
export function lockMs(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.threshold) return 0;
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - policy.threshold, 30));
}

/**
 * The record after one more failure at `nowMs`. Attempts are counted before the password is
 * checked, so a parallel burst cannot get more than `threshold` guesses past an open scope; the
 * failure that reaches the threshold locks at once.
 */
export function addFailure(record: AttemptRecord | null, policy: ThrottlePolicy, nowMs: number): AttemptRecord {
  const remembered = record && nowMs - record.lastAt < policy.windowMs ? record.failures : 0;
  const failures = remembered + 1;
  const lock = lockMs(failures, policy);
  return { failures, lastAt: nowMs, lockedUntil: lock > 0 ? nowMs + lock : 0 };
}

/**
 * Gives back one reserved attempt whose password was right: one failure less and no lock (a lock
 * present now was set by that very reservation or by a guess racing it). Null when nothing is left.
 */
export function refund(record: AttemptRecord | null): AttemptRecord | null {
  if (!record || record.failures <= 1) return null;
  return { ...record, failures: record.failures - 1, lockedUntil: 0 };
}

/** How long a store must keep the record: until its lock ends and its window has passed. */
export function keepForMs(record: AttemptRecord, policy: ThrottlePolicy, nowMs: number): number {
  return Math.max(1, record.lockedUntil - nowMs, record.lastAt + policy.windowMs - nowMs);
}
