import { z } from "zod";
import { GAME_MODES } from "../protocol.ts";

/**
 * The game server → backend service routes: one zod schema per body, and its inferred type.
 * The backend parses with these schemas; the game server builds bodies of these types, so a
 * change here is a type error on the side that did not follow.
 */

/** Route paths of the internal API (service JWT, see docs/api-scores.md). */
export const InternalRoute = {
  GameResults: "/internal/game-results",
  Flags: "/internal/flags",
  MatchRecords: "/internal/match-records",
  ChatMessages: "/internal/chat-messages",
} as const;
export type InternalRoute = (typeof InternalRoute)[keyof typeof InternalRoute];

/** users.id is a PostgreSQL integer: a larger id would fail a whole group commit's cast. */
export const userIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, "a decimal user id")
  .refine((v) => Number(v) <= 2_147_483_647, "a user id is at most 2147483647");
const isoTime = z.string().datetime({ offset: true });
/** A room code as shown to players (see game-server room codes). */
const roomCode = z.string().min(1).max(16);
/** A display name: account username or guest nickname. */
const nick = z.string().min(1).max(64);

/** `POST /internal/game-results`: one player's validated game result (idempotent on result_id). */
export const gameResultSchema = z.object({
  /** The game session id: the idempotency key. */
  result_id: z.uuid(),
  /** Decimal user id (guests are never sent). */
  user_id: userIdSchema,
  mode: z.enum(GAME_MODES),
  /** classic/shaky: points; steps: elapsed ms. */
  score: z.number().int().min(0),
  points: z.number().int().min(0),
  started_at: isoTime,
  ended_at: isoTime,
});
export type GameResultBody = z.infer<typeof gameResultSchema>;

/** `POST /internal/flags`: an account flagged for review (idempotent on flag_id). */
export const flagSchema = z.object({
  flag_id: z.uuid(),
  user_id: userIdSchema,
  reason: z.string().min(1).max(64),
  evidence: z.record(z.string(), z.unknown()).refine((e) => JSON.stringify(e).length <= 16 * 1024, "evidence must be ≤ 16 KiB of JSON"),
});
export type FlagBody = z.infer<typeof flagSchema>;

/** How a match ended: played to its end, or called off (a player of a two-player match left or went idle). */
export const MatchOutcome = { Completed: "completed", CalledOff: "called_off" } as const;
export type MatchOutcome = (typeof MatchOutcome)[keyof typeof MatchOutcome];

/** One player's line of a match record. */
export const matchPlayerSchema = z.object({
  /** Decimal user id of an account; null for a guest. */
  user_id: userIdSchema.nullable(),
  /** Username or guest nickname, as shown in the room. */
  nick,
  guest: z.boolean(),
  /** classic/shaky: points; steps: elapsed ms (0 when not finished). */
  score: z.number().int().min(0),
  /** 1, 2, 3…; ties share one; 0 when the match was called off. */
  placement: z.number().int().min(0),
  /** Caught by the burst anti-cheat: placed last. */
  flagged: z.boolean(),
  /** steps only: whether the player completed the course. */
  finished: z.boolean(),
  /** Whether this player's own result was accepted for the boards (queued or stored). */
  result_saved: z.boolean(),
  /** The game session id of this player's result (the game-results idempotency key), when one was sent. */
  result_id: z.uuid().nullable(),
});
export type MatchPlayer = z.infer<typeof matchPlayerSchema>;

/** `POST /internal/match-records`: one finished round of one room (idempotent on match_id). */
export const matchRecordSchema = z.object({
  match_id: z.uuid(),
  room_code: roomCode,
  mode: z.enum(GAME_MODES),
  /** 1 for the room's first round. */
  round: z.number().int().min(1),
  /** A one-player round (a room of one seat, or a player alone in a bigger room): placement multipliers do not apply. */
  solo: z.boolean(),
  outcome: z.enum([MatchOutcome.Completed, MatchOutcome.CalledOff]),
  started_at: isoTime,
  ended_at: isoTime,
  players: z.array(matchPlayerSchema).min(1).max(64),
});
export type MatchRecordBody = z.infer<typeof matchRecordSchema>;

/** The backend's answer to a match record. */
export const matchRecordResponseSchema = z.object({
  success: z.literal(true),
  match_id: z.string(),
  /** true when this match_id was already stored (a retried delivery). */
  replay: z.boolean(),
  /** Profile points credited per account (decimal user id → points); a replay answers the first credit. */
  points_earned: z.record(z.string(), z.number().int().min(0)),
});
export type MatchRecordResponse = z.infer<typeof matchRecordResponseSchema>;

/** One chat line as the room broadcast it, for the admin audit trail. */
export const chatMessageSchema = z.object({
  /** Idempotency key of the line. */
  message_id: z.uuid(),
  room_code: roomCode,
  /** Decimal user id of an account; null for a guest. */
  sender_user_id: userIdSchema.nullable(),
  sender_nick: nick,
  guest: z.boolean(),
  /** 1–200 characters, NFKC-normalised, control characters stripped (see shared/src/rules/chat.ts). */
  text: z.string().min(1).max(200),
  sent_at: isoTime,
});
export type ChatMessageBody = z.infer<typeof chatMessageSchema>;

/** `POST /internal/chat-messages`: a batch of chat lines (each idempotent on message_id). */
export const chatBatchSchema = z.object({ messages: z.array(chatMessageSchema).min(1).max(100) });
export type ChatBatchBody = z.infer<typeof chatBatchSchema>;

/** The backend's answer to a chat batch. */
export const chatBatchResponseSchema = z.object({
  success: z.literal(true),
  /** Lines stored by this call. */
  stored: z.number().int().min(0),
  /** Lines whose message_id was already stored (a retried delivery). */
  replayed: z.number().int().min(0),
});
export type ChatBatchResponse = z.infer<typeof chatBatchResponseSchema>;
