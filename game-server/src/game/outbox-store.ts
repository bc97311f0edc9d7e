import type { ChatBatchBody, FlagBody, GameResultBody, MatchRecordBody } from "./results-sink.ts";

/** One pending delivery. */
export type OutboxItem =
  | { kind: "result"; id: string; attempts: number; body: GameResultBody }
  | { kind: "flag"; id: string; attempts: number; body: FlagBody }
  | { kind: "match"; id: string; attempts: number; body: MatchRecordBody }
  | { kind: "chat"; id: string; attempts: number; body: ChatBatchBody };

/**
 * Durable-enough queue of deliveries with due times and leases. A claimed item is
 * hidden until its lease runs out, so a process that dies mid-delivery loses nothing
 * (another process retries it; the backend's idempotency keys prevent doubles).
 */
export interface OutboxStore {
  /** Adds an item due at `dueAt`; false (and nothing changes) if its id is already queued. */
  add(item: OutboxItem, dueAt: number): Promise<boolean>;
  /** Up to `limit` items due at `now`, each leased until `now + leaseMs`. */
  claim(now: number, leaseMs: number, limit: number): Promise<OutboxItem[]>;
  /** Delivered (or dropped as final): forget it. */
  remove(id: string): Promise<void>;
  /** Failed for now: keep it, with its attempt count, due again at `dueAt`. */
  reschedule(item: OutboxItem, dueAt: number): Promise<void>;
  /** Items queued (due or leased). */
  size(): Promise<number>;
  /** Releases connections. */
  close(): Promise<void>;
}
