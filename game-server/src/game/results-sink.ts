import type { FlagBody, GameResultBody } from "@arena/shared/contracts/internal-api";

export type { FlagBody, GameResultBody };

/** How one delivery attempt went. */
export type SinkOutcome =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; /** true: never retry (400, 403, 404: a verdict on the item); false: retry later (401, 408, 429, 5xx, network). */ final: boolean; status?: number; error: string };

/** Where results and flags go: the backend's internal routes in production. */
export interface ResultsSink {
  /** Posts one game result; safe to repeat (idempotent on `result_id`). */
  postResult(body: GameResultBody): Promise<SinkOutcome>;
  /** Posts one flag; safe to repeat (idempotent on `flag_id`). */
  postFlag(body: FlagBody): Promise<SinkOutcome>;
}
