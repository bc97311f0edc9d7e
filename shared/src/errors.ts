/**
 * The one error-code table. Every error a client can see — HTTP bodies
 * `{success:false, error_code, message, retry_after?}`, Colyseus `ServerError`s and
 * game-room rejections — carries one of these codes. `status` is the HTTP status the
 * code maps to wherever it travels over HTTP.
 */
export const ERRORS = {
  // ── request shape ───────────────────────────────────────────────────────────
  /** The body is not valid JSON, or a field is missing or malformed. */
  VALIDATION_FAILED: { status: 400, message: "The request is invalid." },
  /** The request body exceeds the size limit. */
  PAYLOAD_TOO_LARGE: { status: 413, message: "The request body is too large." },
  /** No such route. */
  NOT_FOUND: { status: 404, message: "Not found." },

  // ── authentication ──────────────────────────────────────────────────────────
  /** Missing, malformed, expired or otherwise invalid credentials (token, session). */
  UNAUTHORIZED: { status: 401, message: "Authentication is required." },
  /** Username or password wrong (one generic answer for both). */
  INVALID_CREDENTIALS: { status: 401, message: "Invalid username or password." },
  /** Too many failed logins: the account is locked for `retry_after` seconds. */
  ACCOUNT_LOCKED: { status: 429, message: "Too many failed attempts; try again later." },
  /** The session was logged out, expired or revoked. */
  SESSION_EXPIRED: { status: 401, message: "The session has ended; log in again." },
  /** A refresh token was presented twice; the whole session is revoked. */
  REFRESH_TOKEN_REUSED: { status: 401, message: "Refresh token reuse detected; the session was revoked." },
  /** The refresh token is unknown or its session is gone. */
  INVALID_REFRESH_TOKEN: { status: 401, message: "The refresh token is invalid." },
  /** The username is taken. */
  USERNAME_TAKEN: { status: 409, message: "That username is taken." },
  /** The account is banned. */
  ACCOUNT_BANNED: { status: 403, message: "This account is banned." },
  /** Authenticated but not allowed (e.g. not an admin, not a service). */
  FORBIDDEN: { status: 403, message: "You are not allowed to do that." },

  // ── scores ───────────────────────────────────────────────────────────────────
  /** Per-user, global or penalty rate limit hit; see `retry_after`. */
  RATE_LIMIT_EXCEEDED: { status: 429, message: "Too many requests; slow down." },
  /** Unknown action type, points out of bounds, or an action type clients may not post. */
  INVALID_ACTION: { status: 400, message: "The action is not valid." },
  /** The account is temporarily banned after repeated rate-limit violations. */
  TEMPORARILY_BANNED: { status: 429, message: "Temporarily banned after repeated violations." },
  /** The board or period does not exist. */
  UNKNOWN_BOARD: { status: 400, message: "Unknown board or period." },

  // ── progression: profile points and skins ───────────────────────────────────
  /** The balance does not cover the price or a negative adjustment; the body carries `balance` and `price`. */
  INSUFFICIENT_POINTS: { status: 409, message: "Not enough profile points." },
  /** No skin with that id in the catalogue. */
  SKIN_NOT_FOUND: { status: 404, message: "That skin does not exist." },
  /** Only an owned skin can be equipped. */
  SKIN_NOT_OWNED: { status: 403, message: "Unlock that skin before equipping it." },

  // ── rooms and tickets ───────────────────────────────────────────────────────
  /** No live room with that id or code. */
  ROOM_NOT_FOUND: { status: 404, message: "That room does not exist." },
  /** The room is full. */
  ROOM_FULL: { status: 409, message: "That room is full." },
  /** This identity is already in a room (single presence). */
  ALREADY_IN_ROOM: { status: 409, message: "You are already in a room." },
  /** A guest asked for a room that does not allow guests (or a ranked one). */
  GUESTS_NOT_ALLOWED: { status: 403, message: "Guests cannot join this room; log in to play." },
  /** The guest nickname breaks the nickname rules. */
  INVALID_NICKNAME: { status: 400, message: "That nickname is not allowed." },
  /** Another guest in the room already uses that nickname. */
  NICKNAME_TAKEN: { status: 409, message: "Another guest in this room uses that nickname." },
  /** The ticket has expired. */
  TICKET_EXPIRED: { status: 401, message: "The room ticket has expired; ask for a new one." },
  /** The ticket's signature, shape or type is wrong (tampered, or an identity JWT). */
  TICKET_INVALID: { status: 401, message: "The room ticket is invalid." },
  /** The ticket was issued for another room. */
  TICKET_WRONG_ROOM: { status: 401, message: "That ticket is for another room." },
  /** The ticket is already in use by a connected client. */
  TICKET_IN_USE: { status: 409, message: "That ticket is already in use." },
  /** The ticket already took a seat once (tickets are single-use): ask for a new one. */
  TICKET_USED: { status: 409, message: "That ticket was already used; ask for a new one." },
  /** A reconnection token was presented while its seat is connected: the connected client keeps it. */
  SEAT_CONNECTED: { status: 409, message: "That seat is connected; it cannot be taken over." },
  /** An identity JWT was presented where a ticket is required. */
  IDENTITY_TOKEN_AS_TICKET: { status: 401, message: "An identity token is not a room ticket." },

  // ── game ────────────────────────────────────────────────────────────────────
  /** The game has not started yet. */
  GAME_NOT_STARTED: { status: 409, message: "The game has not started." },
  /** The game is already running. */
  GAME_ALREADY_STARTED: { status: 409, message: "The game is already running." },
  /** The game is over; no more points. */
  GAME_OVER: { status: 409, message: "The game is over." },
  /** The point does not satisfy the mode's rule (missed the dot, wrong step…). */
  POINT_REJECTED: { status: 400, message: "That point does not count." },
  /** The point's client timestamp disagrees with the server clock beyond the latency allowance. */
  CLOCK_SKEW: { status: 400, message: "The point's timestamp is not consistent with the game clock." },
  /** Points arrive faster than the burst threshold. */
  BURST_DETECTED: { status: 429, message: "Too many points too fast." },
  /** The end-of-game submission failed validation. */
  SUBMISSION_REJECTED: { status: 400, message: "The game result was rejected." },
  /** The game's result was already submitted. */
  ALREADY_SUBMITTED: { status: 409, message: "This game was already submitted." },
  /** A submission for a game that has not ended yet or is not the current one: ignored, nothing recorded. */
  SUBMISSION_NOT_DUE: { status: 409, message: "No ended game of that session is waiting for a result." },

  // ── matches (docs/match.md) ─────────────────────────────────────────────────
  /** Only the room's host may do that (start a round). */
  NOT_HOST: { status: 403, message: "Only the host can do that." },
  /** The message is not allowed in the room's current phase (e.g. start_match while running, a point in lobby). */
  WRONG_PHASE: { status: 409, message: "Not now: the room is in another phase." },
  /** game_start while other players are seated: the host starts a round for everyone. */
  SOLO_START_ONLY: { status: 409, message: "Other players are here: the host starts the round for everyone." },
  /** The round started before the server had the player's clock (no heartbeat yet): the player watches it. */
  CLOCK_UNKNOWN: { status: 409, message: "Your clock is not known yet; you will play the next round." },
  /** Too many chat lines in the window; see `retry_after`. */
  CHAT_RATE_LIMITED: { status: 429, message: "You are chatting too fast." },
  /** The chat line is empty or too long after normalisation. */
  CHAT_INVALID: { status: 400, message: "That chat message is not allowed." },

  // ── server ──────────────────────────────────────────────────────────────────
  /** A dependency (database, Redis, backend) is unavailable. */
  SERVICE_UNAVAILABLE: { status: 503, message: "The service is temporarily unavailable." },
  /** Anything unexpected. Never carries internals. */
  INTERNAL: { status: 500, message: "Something went wrong." },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;
export const ErrorCode = Object.fromEntries(Object.keys(ERRORS).map((k) => [k, k])) as { [K in ErrorCode]: K };

/** The JSON body of every error answer. */
export interface ErrorBody {
  success: false;
  error_code: ErrorCode;
  message: string;
  /** Seconds to wait before retrying, when applicable. */
  retry_after?: number;
}

/** A domain error carrying a code; HTTP layers map it through {@link ERRORS}. */
export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string = ERRORS[code].message,
    readonly retryAfter?: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get status(): number {
    return ERRORS[this.code].status;
  }
  toBody(): ErrorBody {
    const body: ErrorBody = { success: false, error_code: this.code, message: this.message };
    if (this.retryAfter !== undefined) body.retry_after = this.retryAfter;
    return body;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERRORS, value);
}
