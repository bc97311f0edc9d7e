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
  /** Host only, in `lobby`: start a round for every seated player (countdown, then the game). */
  StartMatch: "start_match",
  /** In `lobby`: `{ ready }` sets the sender's ready badge. */
  Ready: "ready",
  /** `{ text }`: a chat line, broadcast as {@link ServerMessage.ChatMessage}. */
  Chat: "chat",
  /** `{ clientTs }` every 10 s: keeps the player active and samples the page's clock. */
  Heartbeat: "heartbeat",
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
  /** To the host only: a player took a seat. */
  PlayerJoined: "player_joined",
  /** Everyone: the host started a round; the games start at `startsAt` (server clock). */
  MatchCountdown: "match_countdown",
  /** Everyone: the round's placements, scores and profile points. */
  MatchResults: "match_results",
  /** Everyone: a running two-player round was called off (back to `lobby`, no placements). */
  MatchCalledOff: "match_called_off",
  /** Everyone: one chat line with the sender's nick and the server time. */
  ChatMessage: "chat_message",
  /** To a player who just joined or reconnected: the room's last chat lines, oldest first (replaces the client's list). */
  ChatHistory: "chat_history",
  /** Everyone: the room is about to close (then the socket closes with a {@link RoomCloseCode}). */
  RoomClosing: "room_closing",
} as const;
export type ServerMessage = (typeof ServerMessage)[keyof typeof ServerMessage];

/**
 * The round cycle of a game room: `lobby` → `countdown` → `running` → `results` → `lobby`.
 * A call-off goes from `countdown` or `running` straight back to `lobby`.
 */
export const MatchPhase = {
  /** Between rounds: players gather and chat; the host may start. */
  Lobby: "lobby",
  /** The host started: the games begin at the state's `startsAt`. */
  Countdown: "countdown",
  /** The round's games run; joiners watch until the next round. */
  Running: "running",
  /** Every game of the round ended: placements are shown, then back to `lobby`. */
  Results: "results",
} as const;
export type MatchPhase = (typeof MatchPhase)[keyof typeof MatchPhase];

/** Why a round was called off (`match_called_off`). */
export const CallOffReason = {
  /** A player of a two-player round sent nothing for PLAYER_INACTIVE_MS. */
  PlayerInactive: "player_inactive",
  /** A player of a two-player round left, or dropped and did not come back within RECONNECT_WINDOW. */
  PlayerLeft: "player_left",
} as const;
export type CallOffReason = (typeof CallOffReason)[keyof typeof CallOffReason];

/** Why a room is closing (`room_closing`). */
export const RoomCloseReason = {
  /** No message from anyone and no join for ROOM_IDLE_TIMEOUT. */
  Idle: "idle",
} as const;
export type RoomCloseReason = (typeof RoomCloseReason)[keyof typeof RoomCloseReason];

/** WebSocket close codes of a game room closed by the server (4000–4999 are application codes). */
export const RoomCloseCode = {
  /** Closed after ROOM_IDLE_TIMEOUT without activity. */
  Idle: 4100,
} as const;
export type RoomCloseCode = (typeof RoomCloseCode)[keyof typeof RoomCloseCode];

/**
 * The synced room state (`@colyseus/schema`, game-server/src/rooms/game-state.ts), field by
 * field. Only public facts: tokens, seeds and keys never go here.
 */
export interface RoomStateView {
  /** Players by Colyseus sessionId (seated players: playing or watching). */
  players: Map<string, PlayerStateView>;
  mode: GameMode;
  ranked: boolean;
  /** The room's join code. */
  code: string;
  /** A room of one seat: `game_start` plays at once, no countdown. */
  solo: boolean;
  phase: MatchPhase;
  /** The host's sessionId ("" while the room is empty). */
  host: string;
  /** The current (or last) round, 1 for the first; 0 before any. */
  round: number;
  /** Server epoch ms the round's games start at (0 in `lobby` before any round). */
  startsAt: number;
  /** Server epoch ms the round's timed games end at; steps: its abandon deadline (0: none). */
  endsAt: number;
}

/** One player of {@link RoomStateView}. */
export interface PlayerStateView {
  nick: string;
  guest: boolean;
  /** False while the socket is dropped and may still reconnect. */
  connected: boolean;
  /** The ready badge (`ready`), cleared when a round starts. */
  ready: boolean;
  /** False after PLAYER_INACTIVE_MS without any message ("away"). */
  active: boolean;
  /** Plays the current round (false: joined mid-round and watches, or sat out). */
  playing: boolean;
  /** classic/shaky: points so far; steps: elapsed ms once completed (0 before). */
  score: number;
  /** Accepted points this round. */
  points: number;
  /** Bursts counted by the anti-cheat this round. */
  bursts: number;
  /** Stopped by the burst anti-cheat this round: placed last. */
  flagged: boolean;
  /** The player's game: "waiting" | "running" | "ended". */
  status: string;
  /** Server epoch ms the player's running game ends at (0: none / untimed). */
  endsAt: number;
  /** 1, 2, 3… in `results` (ties share); 0 otherwise. */
  placement: number;
  /** Equipped skin id (from the ticket; the catalogue default for guests). */
  skin: string;
}

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
