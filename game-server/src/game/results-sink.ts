import type { GameMode } from "@arena/shared";

/** Body of `POST /internal/game-results` (contracts.md). */
export interface GameResultBody {
  /** The game session id: the idempotency key. */
  result_id: string;
  /** Decimal user id (guests are never sent). */
  user_id: string;
  mode: GameMode;
  /** classic/shaky: points; steps: elapsed ms. */
  score: number;
  points: number;
  started_at: string;
  ended_at: string;
}

/** Body of `POST /internal/flags`. */
export interface FlagBody {
  /** Idempotency key. */
  flag_id: string;
  user_id: string;
  reason: string;
  evidence: Record<string, unknown>;
}

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
