/** Game modes (docs/game.md, "Modes"). `steps` is untimed: its score is the time taken. */
export const GameMode = {
  Classic: "classic",
  Shaky: "shaky",
  Steps: "steps",
} as const;
export type GameMode = (typeof GameMode)[keyof typeof GameMode];
export const GAME_MODES = Object.values(GameMode);

/** Leaderboards: one per game mode plus `general`, the total of every accepted score action (docs/api-scores.md). */
export const Board = {
  General: "general",
  Classic: "classic",
  Shaky: "shaky",
  Steps: "steps",
} as const;
export type Board = (typeof Board)[keyof typeof Board];
export const BOARDS = Object.values(Board);

/** Leaderboard periods. */
export const Period = {
  AllTime: "all",
  Daily: "daily",
  Weekly: "weekly",
} as const;
export type Period = (typeof Period)[keyof typeof Period];
export const PERIODS = Object.values(Period);

/** Colyseus room names registered by the game server. */
export const RoomName = {
  Game: "game",
} as const;
export type RoomName = (typeof RoomName)[keyof typeof RoomName];

/** Client → game room messages (docs/game.md, "Flow"). */
export const ClientMessage = {
  /** Start a game session; answered with {@link ServerMessage.GameStarted}. */
  GameStart: "game_start",
  /** A point: `{ clientTs, payload }`; answered with PointAccepted or PointRejected. */
  Point: "point",
  /** End-of-game submission: start token, end token, point tokens with client timestamps. */
  Submit: "submit",
  /** Round-trip probe `{ t }` (client clock); answered with {@link ServerMessage.Pong}. */
  Ping: "ping",
} as const;
export type ClientMessage = (typeof ClientMessage)[keyof typeof ClientMessage];

/** Game room → client messages. */
export const ServerMessage = {
  /** Sent on join: mode, duration, rules, whether the score will be saved. */
  Welcome: "welcome",
  /** The start token and the game clock. */
  GameStarted: "game_started",
  /** The mode's target moved (classic / shaky dot, next step). */
  Target: "target",
  /** A point was accepted: its point token and server timestamp. */
  PointAccepted: "point_accepted",
  /** A point was refused, with an error code. */
  PointRejected: "point_rejected",
  /** The game ended (timer, steps done, or anti-cheat): carries the end token and reason. */
  EndGame: "end_game",
  /** The submission's outcome: saved score, not saved (guest), or rejected with a reason. */
  Result: "result",
  /** An error not tied to one message. */
  Error: "error",
  /** After a reconnection: the running session, its tokens and points so far. */
  Resume: "resume",
  /** Answer to {@link ClientMessage.Ping}: `{ t, serverTime }`. */
  Pong: "pong",
} as const;
export type ServerMessage = (typeof ServerMessage)[keyof typeof ServerMessage];

/** Live scoreboard WebSocket (`/ws/scoreboard`) message types (docs/api-scores.md). */
export const ScoreboardMessage = {
  /** Server → subscribers of a board: the new top 10 and which ranks changed. */
  LeaderboardUpdate: "LEADERBOARD_UPDATE",
  /** Server → one user: their new score and rank. */
  ScoreUpdate: "SCORE_UPDATE",
  /** Client → server: authenticate with a bearer JWT (browsers cannot set headers). */
  Auth: "AUTH",
  /** Client → server: watch a board and period. */
  Subscribe: "SUBSCRIBE",
  /** Server → client: current snapshot after subscribing. */
  Snapshot: "SNAPSHOT",
  /** Server → client: an error with a code. */
  Error: "ERROR",
} as const;
export type ScoreboardMessage = (typeof ScoreboardMessage)[keyof typeof ScoreboardMessage];

/** WebSocket close codes used by the scoreboard socket (4000–4999 are application codes). */
export const CloseCode = {
  /** WS_CONNECTION_LIMIT reached. */
  ConnectionLimit: 4001,
  /** Authentication failed. */
  Unauthorized: 4002,
  /** Heartbeat missed. */
  HeartbeatTimeout: 4003,
  /** Message malformed or too large. */
  BadMessage: 4004,
  /** Server shutting down. */
  ServerShutdown: 4005,
  /** Too many messages (scoreboard: over WS_MAX_MESSAGES_PER_SECOND, or too many still queued). */
  RateLimited: 4006,
  /** WS_CONNECTIONS_PER_IP reached: this client IP already holds its share of sockets. */
  IpConnectionLimit: 4007,
  /** An anonymous socket sent no SUBSCRIBE within WS_SUBSCRIBE_TIMEOUT. */
  SubscribeTimeout: 4008,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * Numeric codes of the Colyseus `ServerError`s the game room throws, so a client can tell
 * refusals apart (`err.code`). Errors thrown in `static onAuth` travel as the HTTP status of
 * the matchmaking request, so every code is a valid HTTP status (200–599) outside Colyseus's
 * own 520–526. `roomErrorName(code)` maps a number back to its {@link ErrorCode}.
 */
export const RoomErrorCode = {
  /** Tampered, malformed or wrongly typed ticket. */
  TICKET_INVALID: 470,
  /** The ticket has expired. */
  TICKET_EXPIRED: 471,
  /** The ticket was issued for another room. */
  TICKET_WRONG_ROOM: 472,
  /** An identity JWT was presented instead of a ticket. */
  IDENTITY_TOKEN_AS_TICKET: 473,
  /** The ticket's holder is connected right now. */
  TICKET_IN_USE: 474,
  /** The room is full. */
  ROOM_FULL: 475,
  /** The identity is already in a room (single presence). */
  ALREADY_IN_ROOM: 476,
  /** The login session behind the ticket has ended. */
  SESSION_EXPIRED: 477,
  /** The room no longer exists. */
  ROOM_NOT_FOUND: 478,
  /** The ticket already took a seat once (single use). */
  TICKET_USED: 479,
  /** A reconnection token was presented while its seat is still connected. */
  SEAT_CONNECTED: 480,
  /** A dependency (Redis) failed. */
  SERVICE_UNAVAILABLE: 503,
} as const;
export type RoomErrorCode = (typeof RoomErrorCode)[keyof typeof RoomErrorCode];

/** The error-code name of a numeric room error code, or undefined for Colyseus's own codes. */
export function roomErrorName(code: number): keyof typeof RoomErrorCode | undefined {
  return (Object.keys(RoomErrorCode) as Array<keyof typeof RoomErrorCode>).find((k) => RoomErrorCode[k] === code);
}
