import type { ErrorCode } from "../errors.ts";
import type { GameMode } from "../protocol.ts";
import type { GameSettings } from "./game-settings.ts";
import { TokenKind, type GameTokens } from "./game-tokens.ts";
import { isTimed, targetAt, type Target } from "./mode-rules.ts";
import { AppendLog } from "./append-log.ts";
import { TimeWindow } from "./time-window.ts";

/** waiting → running → ended; never backwards. */
export const GameStatus = {
  Waiting: "waiting",
  Running: "running",
  Ended: "ended",
} as const;
export type GameStatus = (typeof GameStatus)[keyof typeof GameStatus];

/** Why a game ended (carried by the `end_game` message). */
export const EndReason = {
  /** The timer of a timed mode expired. */
  Timer: "timer",
  /** All steps of a `steps` game were done. */
  Completed: "completed",
  /** A `steps` game ran past its maximum length. */
  Timeout: "timeout",
  /** More bursts than allowed: stopped by anti-cheat, the player is flagged. */
  BurstAbuse: "burst_abuse",
  /** The round was called off (a player of a two-player match went away): nothing to submit. */
  CalledOff: "called_off",
  /** The player left a steps round for good: placed as not finished, nothing to submit. */
  Abandoned: "abandoned",
} as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];

/** One accepted point, as the server recorded it. */
export interface PointRecord {
  readonly token: string;
  /** Point index (0-based), also bound into the token. */
  readonly n: number;
  readonly serverTs: number;
  readonly clientTs: number;
}

/** Evidence attached to a flag raised by the rules. */
export interface FlagEvidence {
  reason: ErrorCode | "BURST_ABUSE";
  [key: string]: unknown;
}

/** A player's game session: plain data, replaced (never mutated) by every rule. */
export interface GameSession {
  /** uuid; also the result's idempotency key. */
  id: string;
  /** Ticket `sub` of the player. */
  player: string;
  mode: GameMode;
  /** Secret seed of the dot positions and shake paths (server only). */
  seed: number;
  settings: GameSettings;
  status: GameStatus;
  createdAt: number;
  /** Server time the game started; null while waiting. */
  startedAt: number | null;
  /** Client clock at game_start: the reference for timestamp consistency. */
  clientStartTs: number | null;
  /** Server time after which no point counts. */
  endsAt: number | null;
  endedAt: number | null;
  endReason: EndReason | null;
  startToken: string | null;
  /** Issued when the game ends normally; absent after an anti-cheat stop. */
  endToken: string | null;
  /** The current target and when it appeared (server time). */
  target: Target | null;
  targetSince: number;
  /** Accepted points, in order (shared with earlier versions of the session: append only). */
  points: AppendLog<PointRecord>;
  /** Server timestamps of point attempts (past the clock checks) still inside the burst window: the deque. */
  recent: TimeWindow;
  /** Server timestamps of recorded bursts. */
  bursts: number[];
  /** Set when the rules decided the player must be flagged. */
  flag: FlagEvidence | null;
  /** Set once a submission was judged (accepted or rejected); a second one is a replay. */
  submitted: boolean;
}

export interface NewSession {
  id: string;
  player: string;
  mode: GameMode;
  seed: number;
  settings: GameSettings;
  nowMs: number;
}

/** A session waiting for game_start. */
export function createSession(input: NewSession): GameSession {
  return {
    id: input.id,
    player: input.player,
    mode: input.mode,
    seed: input.seed >>> 0,
    settings: input.settings,
    status: GameStatus.Waiting,
    createdAt: input.nowMs,
    startedAt: null,
    clientStartTs: null,
    endsAt: null,
    endedAt: null,
    endReason: null,
    startToken: null,
    endToken: null,
    target: null,
    targetSince: input.nowMs,
    points: AppendLog.empty(),
    recent: TimeWindow.empty(),
    bursts: [],
    flag: null,
    submitted: false,
  };
}

/**
 * A copy of a session for a rule to fill in before returning it. Every field is listed, so all
 * sessions share one shape and a copy is a plain store of each field (a spread of this many
 * fields takes V8's slow path); a new field is a type error here until it is added.
 */
export function copySession(s: GameSession): GameSession {
  return {
    id: s.id,
    player: s.player,
    mode: s.mode,
    seed: s.seed,
    settings: s.settings,
    status: s.status,
    createdAt: s.createdAt,
    startedAt: s.startedAt,
    clientStartTs: s.clientStartTs,
    endsAt: s.endsAt,
    endedAt: s.endedAt,
    endReason: s.endReason,
    startToken: s.startToken,
    endToken: s.endToken,
    target: s.target,
    targetSince: s.targetSince,
    points: s.points,
    recent: s.recent,
    bursts: s.bursts,
    flag: s.flag,
    submitted: s.submitted,
  };
}

export type StartResult = { session: GameSession; startToken: string } | { reject: ErrorCode };

/** game_start: runs the session, sets its deadline, shows the first target, issues the start token. */
export function startSession(session: GameSession, clientTs: number, nowMs: number, tokens: GameTokens): StartResult {
  if (session.status === GameStatus.Running) return { reject: "GAME_ALREADY_STARTED" };
  if (session.status === GameStatus.Ended) return { reject: "GAME_OVER" };
  if (!Number.isFinite(clientTs)) return { reject: "VALIDATION_FAILED" };
  const startToken = tokens.issue({ sid: session.id, player: session.player, kind: TokenKind.Start, n: 0 });
  const limit = isTimed(session.mode) ? session.settings.durationMs : session.settings.stepsMaxMs;
  return {
    startToken,
    session: {
      ...session,
      status: GameStatus.Running,
      startedAt: nowMs,
      clientStartTs: clientTs,
      endsAt: nowMs + limit,
      startToken,
      target: targetAt(session.mode, session.seed, 0),
      targetSince: nowMs,
    },
  };
}

/**
 * Ends a running session. Normal ends (timer, completed) get an end token; an
 * anti-cheat stop or a steps timeout does not, so no result can be submitted.
 */
export function endSession(session: GameSession, reason: EndReason, nowMs: number, tokens: GameTokens): GameSession {
  if (session.status !== GameStatus.Running) return session;
  const scorable = reason === EndReason.Timer || reason === EndReason.Completed;
  const endedAt = reason === EndReason.Timer ? Math.min(nowMs, session.endsAt ?? nowMs) : nowMs;
  return {
    ...session,
    status: GameStatus.Ended,
    endedAt,
    endReason: reason,
    endToken: scorable ? tokens.issue({ sid: session.id, player: session.player, kind: TokenKind.End, n: 0 }) : null,
    target: null,
  };
}

/** Ends the session if its deadline has passed (the room timer calls this; so does every point). */
export function expireSession(session: GameSession, nowMs: number, tokens: GameTokens): GameSession {
  if (session.status !== GameStatus.Running || session.endsAt === null || nowMs < session.endsAt) return session;
  return endSession(session, isTimed(session.mode) ? EndReason.Timer : EndReason.Timeout, nowMs, tokens);
}

/** Public score so far: points (timed modes) or elapsed ms once a steps game is completed. */
export function currentScore(session: GameSession): number {
  if (isTimed(session.mode)) return session.points.length;
  if (session.endReason === EndReason.Completed && session.startedAt !== null && session.endedAt !== null) {
    return session.endedAt - session.startedAt;
  }
  return 0;
}
