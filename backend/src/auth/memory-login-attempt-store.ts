import type { AttemptRecord } from "@arena/shared/rules/login-throttle";
import { encode, type LoginAttemptStore } from "./login-attempt-store.ts";

/** Single-process {@link LoginAttemptStore}; `now` (epoch ms) is injectable so tests can expire records. */
export class MemoryLoginAttemptStore implements LoginAttemptStore {
  private readonly records = new Map<string, { value: string; expiresAt: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<AttemptRecord | null> {
    const value = this.live(key);
    return value === null ? null : (JSON.parse(value) as AttemptRecord);
  }

  async swap(key: string, expected: AttemptRecord | null, next: AttemptRecord | null, ttlMs: number): Promise<boolean> {
    if (this.live(key) !== encode(expected)) return false;
    if (next) this.records.set(key, { value: encode(next)!, expiresAt: this.now() + ttlMs });
    else this.records.delete(key);
    return true;
  }

  async close(): Promise<void> {
    this.records.clear();
  }

  private live(key: string): string | null {
    const record = this.records.get(key);
    if (record && record.expiresAt <= this.now()) this.records.delete(key);
    return record && record.expiresAt > this.now() ? record.value : null;
  }
}
