import { z } from "zod";
import type { GameMode } from "../protocol.ts";
import type { ErrorCode } from "../errors.ts";
import type { GameSettings } from "./game-settings.ts";
import type { EndReason } from "./game-session.ts";
import type { Target } from "./mode-rules.ts";
import type { RejectReason } from "./validate-submission.ts";

const timestamp = z.number().finite().nonnegative();
const token = z.string().min(1).max(512);

/** Payloads of {@link ClientMessage} (validated by the room with these schemas). */
export const gameStartSchema = z.object({ clientTs: timestamp }).strict();
export const pointSchema = z
  .object({
    clientTs: timestamp,
    target: z.number().int().nonnegative(),
    x: z.number().finite(),
    y: z.number().finite(),
  })
  .strict();
export const submitSchema = z
  .object({
    /** The game session the submission is for (`game_started` / `end_game`); only the current ended one is judged. */
    sessionId: z.string().min(1).max(64),
    startToken: token,
    endToken: token.nullish(),
    points: z.array(z.object({ token, clientTs: timestamp }).strict()).max(10_000),
  })
  .strict();
export type GameStartMessage = z.infer<typeof gameStartSchema>;
export type PointMessage = z.infer<typeof pointSchema>;
export type SubmitMessage = z.infer<typeof submitSchema>;

/** `welcome`: sent on join (and again on reconnection). */
export interface WelcomePayload {
  mode: GameMode;
  /** Game length (timed modes) or 0 for untimed steps. */
  durationMs: number;
  /** Human-readable rules of the mode. */
  rules: string;
  settings: Pick<GameSettings, "stepsCount" | "burstWindowMs" | "burstMaxPoints" | "latencyAllowanceMs">;
  /** False for guests: "your score won't be saved; log in to keep it". */
  scoreSaved: boolean;
  /** Shown to guests. */
  notice?: string;
}

/** `game_started`: answers `game_start` (a lone player), or is sent to each player of a round at its start. */
export interface GameStartedPayload {
  sessionId: string;
  /** The room's round this game belongs to. */
  round: number;
  startToken: string;
  startedAt: number;
  /** Deadline (server clock); for steps the abandon deadline. */
  endsAt: number;
  target: Target;
}

/** `point_accepted`. */
export interface PointAcceptedPayload {
  token: string;
  n: number;
  serverTs: number;
  clientTs: number;
  score: number;
  /** The next target (absent when the game just ended). */
  target?: Target;
}

/** `point_rejected`. */
export interface PointRejectedPayload {
  code: ErrorCode;
  clientTs?: number;
}

/** `end_game`. */
export interface EndGamePayload {
  sessionId: string;
  reason: EndReason;
  /** Present when the game ended normally; submit it with the result. */
  endToken?: string;
  score: number;
}

/** `result`. */
export interface ResultPayload {
  sessionId: string;
  /** true when the score was accepted (saved for accounts, queued if the backend is down). */
  accepted: boolean;
  /** false for guests, rejected submissions, and an account's accepted result that could not be stored or queued. */
  saved: boolean;
  score?: number;
  /** Why not: the rejection's code, or (accepted but not saved, accounts) the delivery's, e.g. SERVICE_UNAVAILABLE. */
  code?: ErrorCode;
  reason?: RejectReason;
  /** Accounts: true while the result waits in the outbox for the backend (it will be stored). */
  pending?: boolean;
  /** Accounts, once stored: the board, the new board score and rank (from the backend). */
  board?: unknown;
  newScore?: unknown;
  rank?: unknown;
}

/** `resume`: after a reconnection, everything the client needs to carry on. */
export interface ResumePayload {
  sessionId: string;
  status: string;
  startToken: string | null;
  endToken: string | null;
  endsAt: number | null;
  target: Target | null;
  points: { token: string; n: number; serverTs: number; clientTs: number }[];
  score: number;
}
