import { z } from "zod";
import type { ErrorCode } from "../errors.ts";
import type { CallOffReason, ClientMessage, GameMode, RoomCloseCode, RoomCloseReason } from "../protocol.ts";

/** Largest raw chat text accepted before normalisation (longer is VALIDATION_FAILED). */
export const CHAT_RAW_MAX_LENGTH = 1000;

/** Payloads of the match {@link ClientMessage}s; a payload that fails is answered `error` VALIDATION_FAILED. */
export const startMatchSchema = z.object({}).strict();
export const readySchema = z.object({ ready: z.boolean() }).strict();
export const chatSchema = z.object({ text: z.string().max(CHAT_RAW_MAX_LENGTH) }).strict();
export const heartbeatSchema = z.object({ clientTs: z.number().finite().nonnegative() }).strict();
export type StartMatchMessage = z.infer<typeof startMatchSchema>;
export type ReadyMessage = z.infer<typeof readySchema>;
export type ChatMessage = z.infer<typeof chatSchema>;
export type HeartbeatMessage = z.infer<typeof heartbeatSchema>;

/** `error`: a refused message. The room and the other players are unaffected. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  /** The client message type that was refused, when the refusal answers one. */
  type?: ClientMessage | string;
  /** Seconds to wait before trying again (CHAT_RATE_LIMITED). */
  retryAfter?: number;
}

/** `player_joined` (to the host only). */
export interface PlayerJoinedPayload {
  sessionId: string;
  nick: string;
  guest: boolean;
}

/** `match_countdown` (everyone): the round starts at `startsAt`, server clock. */
export interface MatchCountdownPayload {
  round: number;
  /** Server epoch ms at which every player's game starts. */
  startsAt: number;
  /** The server clock when this was sent (to convert `startsAt` to the page's clock). */
  serverTime: number;
  /** sessionIds of the players of this round (the others watch). */
  players: string[];
}

/** One line of `match_results`. */
export interface MatchResultLine {
  sessionId: string;
  nick: string;
  guest: boolean;
  /** classic/shaky: points; steps: elapsed ms (0 when not finished). */
  score: number;
  /** 1, 2, 3…; ties share one. */
  placement: number;
  /** Stopped by the burst anti-cheat: placed last. */
  flagged: boolean;
  /** steps: completed the course; timed modes: played to the end without being stopped. */
  finished: boolean;
  /** Profile points credited for this round (accounts; 0 until progression exists or when pending). */
  pointsEarned: number;
  /** Whether this player's own result was accepted for the boards (queued or stored). */
  resultSaved: boolean;
}

/** `match_results` (everyone), when the round's record has been handed to the backend. */
export interface MatchResultsPayload {
  /** The match record's id (idempotency key towards the backend). */
  matchId: string;
  round: number;
  mode: GameMode;
  /** A one-player round: placements do not count. */
  solo: boolean;
  startedAt: number;
  endedAt: number;
  /** Best first. */
  players: MatchResultLine[];
}

/** `match_called_off` (everyone): back to `lobby`, nobody placed. */
export interface MatchCalledOffPayload {
  round: number;
  reason: CallOffReason;
  /** The player who went away. */
  sessionId: string;
  nick: string;
}

/** `chat_message` (everyone) and each line of `chat_history`. */
export interface ChatMessagePayload {
  id: string;
  /** The sender's sessionId in this room. */
  sessionId: string;
  nick: string;
  guest: boolean;
  /** Normalised text (see shared/src/rules/chat.ts). */
  text: string;
  /** Server epoch ms. */
  sentAt: number;
}

/** `chat_history` (to a player who just joined): the last lines, oldest first. */
export interface ChatHistoryPayload {
  messages: ChatMessagePayload[];
}

/** `room_closing` (everyone), just before the server closes the sockets with `code`. */
export interface RoomClosingPayload {
  reason: RoomCloseReason;
  code: RoomCloseCode;
}
