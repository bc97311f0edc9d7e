import type { ErrorCode } from "../errors.ts";
import { timestampDrift } from "./accept-point.ts";
import { EndReason, GameStatus, currentScore, type GameSession } from "./game-session.ts";
import { TokenKind, type GameTokens } from "./game-tokens.ts";
import { isTimed } from "./mode-rules.ts";

/** The end-of-game submission (docs/game.md, "Flow"). */
export interface Submission {
  /** The game session it is for; anything but the current session is not judged. */
  sessionId: string;
  startToken: string;
  endToken?: string | null;
  points: { token: string; clientTs: number }[];
}

/** Why a submission was refused (sent to the client and kept as flag evidence). */
export const RejectReason = {
  Replay: "replay",
  NotCurrentSession: "not_current_session",
  MissingEndToken: "missing_end_token",
  GameNotOver: "game_not_over",
  GameAborted: "game_aborted",
  ForgedToken: "forged_token",
  OtherSessionToken: "other_session_token",
  WrongTokenKind: "wrong_token_kind",
  StartTokenMismatch: "start_token_mismatch",
  EndTokenMismatch: "end_token_mismatch",
  ReusedPointToken: "reused_point_token",
  UnknownPointToken: "unknown_point_token",
  TimestampMismatch: "timestamp_mismatch",
  ClockSkew: "clock_skew",
  Incomplete: "incomplete",
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

/** A valid submission's result, in the shape the backend stores. */
export interface ValidResult {
  /** classic/shaky: points; steps: elapsed ms (lower is better). */
  score: number;
  /** Accepted point count. */
  points: number;
  startedAt: number;
  endedAt: number;
}

export type SubmissionVerdict =
  | { session: GameSession; result: ValidResult }
  | { session: GameSession; reject: ErrorCode; reason: RejectReason; flag: boolean };

/**
 * Judges the final submission against what the server recorded. Every point token
 * must be genuine, of this session, recorded, listed once, and carry the client
 * timestamp it was accepted with, within the latency allowance. Only a submission
 * naming the current session once it has ended is judged, and the first judged one is
 * final: a second one is a replay. A submission for another session (a resend for a
 * previous game) or before the end (waiting, running) is refused as not due: nothing
 * changes, nobody is flagged, the real submission still counts. Every other rejection
 * asks for the player to be flagged.
 */
export function validateSubmission(session: GameSession, submission: Submission, tokens: GameTokens): SubmissionVerdict {
  if (submission.sessionId !== session.id) return { session, reject: "SUBMISSION_NOT_DUE", reason: RejectReason.NotCurrentSession, flag: false };
  if (session.submitted) return { session, reject: "ALREADY_SUBMITTED", reason: RejectReason.Replay, flag: false };
  if (session.status !== GameStatus.Ended) return { session, reject: "SUBMISSION_NOT_DUE", reason: RejectReason.GameNotOver, flag: false };
  const reason = findProblem(session, submission, tokens);
  const judged: GameSession = { ...session, submitted: true };
  if (reason) return { session: judged, reject: "SUBMISSION_REJECTED", reason, flag: true };
  return {
    session: judged,
    result: {
      score: currentScore(session),
      points: session.points.length,
      startedAt: session.startedAt!,
      endedAt: session.endedAt!,
    },
  };
}

function findProblem(session: GameSession, submission: Submission, tokens: GameTokens): RejectReason | null {
  if (!submission.endToken) return RejectReason.MissingEndToken;
  if (!session.endToken) return RejectReason.GameAborted;

  const start = checkToken(session, submission.startToken, TokenKind.Start, tokens);
  if (start) return start;
  if (submission.startToken !== session.startToken) return RejectReason.StartTokenMismatch;
  const end = checkToken(session, submission.endToken, TokenKind.End, tokens);
  if (end) return end;
  if (submission.endToken !== session.endToken) return RejectReason.EndTokenMismatch;

  const recorded = new Map(session.points.map((p) => [p.token, p]));
  const seen = new Set<string>();
  for (const point of submission.points) {
    if (seen.has(point.token)) return RejectReason.ReusedPointToken;
    seen.add(point.token);
    const problem = checkToken(session, point.token, TokenKind.Point, tokens);
    if (problem) return problem;
    const record = recorded.get(point.token);
    if (!record) return RejectReason.UnknownPointToken;
    if (record.clientTs !== point.clientTs) return RejectReason.TimestampMismatch;
    if (timestampDrift(session, point.clientTs, record.serverTs) > session.settings.latencyAllowanceMs) {
      return RejectReason.ClockSkew;
    }
  }
  if (seen.size !== recorded.size) return RejectReason.Incomplete;
  if (!isTimed(session.mode) && session.endReason !== EndReason.Completed) return RejectReason.Incomplete;
  return null;
}

function checkToken(session: GameSession, token: string, kind: string, tokens: GameTokens): RejectReason | null {
  const claims = typeof token === "string" ? tokens.open(token) : null;
  if (!claims) return RejectReason.ForgedToken;
  if (claims.sid !== session.id || claims.player !== session.player) return RejectReason.OtherSessionToken;
  if (claims.kind !== kind) return RejectReason.WrongTokenKind;
  return null;
}
