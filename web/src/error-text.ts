import { type ErrorCode, isErrorCode } from "@arena/shared/errors";
import { roomErrorName } from "@arena/shared/protocol";

/**
 * Every error code in a player's words. Typed as a full `Record<ErrorCode, …>`, so a
 * code added to shared/src/errors.ts is a type error here until it gets its words.
 */
export const ERROR_TEXT: Record<ErrorCode, string> = {
  VALIDATION_FAILED: "Something in the form isn't right. Check it and try again.",
  PAYLOAD_TOO_LARGE: "That was too much to send at once.",
  NOT_FOUND: "We couldn't find that.",
  UNAUTHORIZED: "Please log in first.",
  INVALID_CREDENTIALS: "Wrong username or password.",
  ACCOUNT_LOCKED: "Too many wrong passwords. Your account is locked for a while.",
  SESSION_EXPIRED: "You've been logged out. Please log in again.",
  REFRESH_TOKEN_REUSED: "For your safety you've been logged out everywhere. Please log in again.",
  INVALID_REFRESH_TOKEN: "You've been logged out. Please log in again.",
  USERNAME_TAKEN: "That username is already taken. Try another one.",
  ACCOUNT_BANNED: "This account has been banned.",
  FORBIDDEN: "You're not allowed to do that.",
  RATE_LIMIT_EXCEEDED: "Slow down a little and try again.",
  INVALID_ACTION: "That move isn't allowed.",
  TEMPORARILY_BANNED: "You're temporarily blocked for going too fast.",
  UNKNOWN_BOARD: "That scoreboard doesn't exist.",
  INSUFFICIENT_POINTS: "You don't have enough points for that yet. Play a few matches and come back.",
  SKIN_NOT_FOUND: "That skin doesn't exist.",
  SKIN_NOT_OWNED: "Unlock that skin before you wear it.",
  ROOM_NOT_FOUND: "No room with that code. Check the code, or the game may have ended.",
  ROOM_FULL: "That room is full.",
  ALREADY_IN_ROOM: "You're already playing in another room or tab. Leave it first.",
  GUESTS_NOT_ALLOWED: "Guests can't join this room. Log in to play here.",
  INVALID_NICKNAME: "Nicknames use 3–20 letters, digits, _ or -.",
  NICKNAME_TAKEN: "Someone in that room already uses this nickname. Pick another one.",
  TICKET_EXPIRED: "Your seat expired. Join the room again.",
  TICKET_INVALID: "We couldn't let you into the room. Join again.",
  TICKET_WRONG_ROOM: "We couldn't let you into the room. Join again.",
  TICKET_IN_USE: "You're already in this room in another tab.",
  TICKET_USED: "That seat was already used. Join the room again.",
  SEAT_CONNECTED: "You're already in this room in another tab.",
  IDENTITY_TOKEN_AS_TICKET: "We couldn't let you into the room. Join again.",
  GAME_NOT_STARTED: "The game hasn't started yet.",
  GAME_ALREADY_STARTED: "The game is already running.",
  GAME_OVER: "The game is over.",
  POINT_REJECTED: "Missed!",
  CLOCK_SKEW: "Your device's clock drifted from the game clock.",
  BURST_DETECTED: "Too many clicks too fast.",
  SUBMISSION_REJECTED: "Your result couldn't be verified, so it wasn't saved.",
  ALREADY_SUBMITTED: "This game's result was already sent.",
  SUBMISSION_NOT_DUE: "That result isn't for the game that just ended; nothing changed.",
  NOT_HOST: "Only the host can start the match.",
  WRONG_PHASE: "Not now: wait for the current round to finish.",
  SOLO_START_ONLY: "Other players are here: the host starts the round for everyone.",
  CLOCK_UNKNOWN: "You'll join the next round (your connection was still getting ready).",
  CHAT_RATE_LIMITED: "You're sending messages too fast.",
  CHAT_INVALID: "That message can't be sent (empty or longer than 200 characters).",
  SERVICE_UNAVAILABLE: "The game is having trouble right now. Try again in a moment.",
  INTERNAL: "Something went wrong on our side. Try again.",
};

/** A failure with an error code from the shared table. */
export class PlayerError extends Error {
  override name = "PlayerError";
  constructor(
    readonly code: ErrorCode,
    message?: string,
    /** Seconds to wait, when the server said so. */
    readonly retryAfter?: number,
    /** The error body's other facts (e.g. `balance` and `price` of INSUFFICIENT_POINTS). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message ?? code);
  }
}

/** A problem with what the player typed, already in their words. */
export class InputError extends Error {
  override name = "InputError";
}

/** Reads an error code out of whatever went wrong (our errors, error bodies, SDK errors). */
export function errorCodeOf(error: unknown): ErrorCode {
  if (error instanceof PlayerError) return error.code;
  if (isErrorCode(error)) return error;
  if (typeof error === "object" && error !== null) {
    const record = error as Record<string, unknown>;
    for (const key of ["error_code", "code", "message"]) {
      if (isErrorCode(record[key])) return record[key];
    }
    // Colyseus ServerErrors from the game room carry a numeric code (shared RoomErrorCode).
    const roomCode = typeof record.code === "number" ? roomErrorName(record.code) : undefined;
    if (roomCode) return roomCode;
    const data = record.data;
    if (typeof data === "object" && data !== null) return errorCodeOf(data);
    if (typeof record.message === "string") {
      const found = /\b([A-Z][A-Z_]{3,})\b/.exec(record.message)?.[1];
      if (isErrorCode(found)) return found;
    }
  }
  if (error instanceof TypeError) return "SERVICE_UNAVAILABLE";
  return "INTERNAL";
}

/** The player-facing sentence for an error, with the wait time when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof InputError) return error.message;
  const code = errorCodeOf(error);
  const retry = error instanceof PlayerError ? error.retryAfter : undefined;
  const wait = retry && retry > 0 ? ` (wait ${formatWait(retry)})` : "";
  return ERROR_TEXT[code] + wait;
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  return `${Math.ceil(seconds / 60)} min`;
}
