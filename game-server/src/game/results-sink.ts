import type { ChatBatchBody, FlagBody, GameResultBody, MatchRecordBody } from "@arena/shared/contracts/internal-api";

export type { ChatBatchBody, FlagBody, GameResultBody, MatchRecordBody };

/** How one delivery attempt went. */
export type SinkOutcome =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; /** true: never retry (400, 403, 404: a verdict on the item); false: retry later (401, 408, 429, 5xx, network). */ final: boolean; status?: number; error: string };

/** Where results, flags, match records and chat lines go: the backend's internal routes in production. */
export interface ResultsSink {
  /** Posts one game result; safe to repeat (idempotent on `result_id`). */
  postResult(body: GameResultBody): Promise<SinkOutcome>;
  /** Posts one flag; safe to repeat (idempotent on `flag_id`). */
  postFlag(body: FlagBody): Promise<SinkOutcome>;
  /** Posts one match record; safe to repeat (idempotent on `match_id`). */
  postMatchRecord(body: MatchRecordBody): Promise<SinkOutcome>;
  /** Posts a batch of chat lines for the audit trail; safe to repeat (idempotent per `message_id`). */
  postChatBatch(body: ChatBatchBody): Promise<SinkOutcome>;
}
