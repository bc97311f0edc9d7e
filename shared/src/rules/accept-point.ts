import type { ErrorCode } from "../errors.ts";
import { EndReason, GameStatus, endSession, expireSession, type GameSession } from "./game-session.ts";
import { TokenKind, type GameTokens } from "./game-tokens.ts";
import { isHit, isTimed, targetAt, type Hit } from "./mode-rules.ts";

/** A point event as the client sends it. */
export interface PointInput extends Hit {
  /** The client's clock when the player scored. */
  clientTs: number;
}

export type AcceptResult =
  | { session: GameSession; token: string; serverTs: number; n: number }
  | { reject: ErrorCode; session: GameSession };

/**
 * Judges one point. In order: the game must be running (and not past its deadline),
 * the client timestamp must be consistent with the server clock, the point rate must
 * stay under the burst threshold, and the hit must obey the mode's rule. An accepted
 * point gets a token bound to the session, player and point index.
 *
 * A rejection may still change the session (a burst recorded, the game ended by the
 * deadline or by burst abuse): always keep the returned session.
 */
export function acceptPoint(session: GameSession, point: PointInput, nowMs: number, tokens: GameTokens): AcceptResult {
  session = expireSession(session, nowMs, tokens);
  if (session.status === GameStatus.Waiting) return { reject: "GAME_NOT_STARTED", session };
  if (session.status === GameStatus.Ended) return { reject: "GAME_OVER", session };
  if (![point.clientTs, point.x, point.y, point.target].every(Number.isFinite)) return { reject: "VALIDATION_FAILED", session };
  if (!clockConsistent(session, point.clientTs, nowMs)) return { reject: "CLOCK_SKEW", session };

  const burst = trackBurst(session, nowMs);
  session = burst.session;
  if (burst.abused) {
    session = endSession(session, EndReason.BurstAbuse, nowMs, tokens);
    return { reject: "BURST_DETECTED", session };
  }
  if (burst.over) return { reject: "BURST_DETECTED", session };

  const target = session.target!;
  if (!isHit(target, point, hitTime(session, point.clientTs, nowMs) - session.targetSince)) {
    return { reject: "POINT_REJECTED", session };
  }

  const n = session.points.length;
  const token = tokens.issue({ sid: session.id, player: session.player, kind: TokenKind.Point, n });
  session = {
    ...session,
    points: [...session.points, { token, n, serverTs: nowMs, clientTs: point.clientTs }],
    target: targetAt(session.mode, session.seed, target.index + 1),
    targetSince: nowMs,
  };
  if (!isTimed(session.mode) && session.points.length >= session.settings.stepsCount) {
    session = endSession(session, EndReason.Completed, nowMs, tokens);
  }
  return { session, token, serverTs: nowMs, n };
}

/**
 * Server-elapsed and client-elapsed time since game_start may differ by at most the
 * latency allowance, and the client clock may not run backwards between points.
 */
export function clockConsistent(session: GameSession, clientTs: number, serverTs: number): boolean {
  if (session.startedAt === null || session.clientStartTs === null) return false;
  if (clientTs < session.clientStartTs) return false;
  const last = session.points.at(-1);
  if (last && clientTs < last.clientTs) return false;
  return timestampDrift(session, clientTs, serverTs) <= session.settings.latencyAllowanceMs;
}

/** |server elapsed − client elapsed| since game_start, ms. */
export function timestampDrift(session: GameSession, clientTs: number, serverTs: number): number {
  return Math.abs(serverTs - (session.startedAt ?? 0) - (clientTs - (session.clientStartTs ?? 0)));
}

/** The client's moment of the hit on the server clock, clamped to [target appeared, now]. */
function hitTime(session: GameSession, clientTs: number, nowMs: number): number {
  const estimate = (session.startedAt ?? 0) + (clientTs - (session.clientStartTs ?? 0));
  return Math.min(nowMs, Math.max(session.targetSince, estimate));
}

/**
 * The burst deque: point attempts inside the sliding window. One more than
 * `burstMaxPoints` is a burst; a burst lasts a window (attempts during it do not
 * record new ones). More than `burstLimit` bursts within `burstPeriodMs` is abuse.
 */
function trackBurst(session: GameSession, nowMs: number): { session: GameSession; over: boolean; abused: boolean } {
  const { burstWindowMs, burstMaxPoints, burstLimit, burstPeriodMs } = session.settings;
  const recent = session.recent.filter((ts) => ts > nowMs - burstWindowMs);
  const over = recent.length >= burstMaxPoints;
  recent.push(nowMs);
  let bursts = session.bursts;
  if (over) {
    const last = bursts.at(-1);
    if (last === undefined || last <= nowMs - burstWindowMs) bursts = [...bursts, nowMs];
  }
  const inPeriod = bursts.filter((ts) => ts > nowMs - burstPeriodMs);
  const abused = over && inPeriod.length > burstLimit;
  const next: GameSession = { ...session, recent, bursts };
  if (abused) {
    next.flag = {
      reason: "BURST_ABUSE",
      sessionId: session.id,
      mode: session.mode,
      bursts: inPeriod,
      burstLimit,
      burstPeriodMs,
      burstWindowMs,
      burstMaxPoints,
      recentAttempts: recent.slice(-100),
      acceptedPoints: session.points.length,
      at: nowMs,
    };
  }
  return { session: next, over, abused };
}
