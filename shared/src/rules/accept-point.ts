import type { ErrorCode } from "../errors.ts";
import { EndReason, GameStatus, copySession, endSession, expireSession, type FlagEvidence, type GameSession } from "./game-session.ts";
import { TokenKind, type GameTokens } from "./game-tokens.ts";
import { isHit, isTimed, targetAt, type Hit } from "./mode-rules.ts";
import type { TimeWindow } from "./time-window.ts";

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
  // `next` is this call's own copy: filled in here, never seen before it is returned.
  const next = copySession(session);
  next.recent = burst.recent;
  next.bursts = burst.bursts;
  if (burst.flag) {
    next.flag = burst.flag;
    return { reject: "BURST_DETECTED", session: endSession(next, EndReason.BurstAbuse, nowMs, tokens) };
  }
  if (burst.over) return { reject: "BURST_DETECTED", session: next };

  const target = next.target!;
  if (!isHit(target, point, hitTime(next, point.clientTs, nowMs) - next.targetSince)) {
    return { reject: "POINT_REJECTED", session: next };
  }

  const n = next.points.length;
  const token = tokens.issue({ sid: next.id, player: next.player, kind: TokenKind.Point, n });
  next.points = next.points.append({ token, n, serverTs: nowMs, clientTs: point.clientTs });
  next.target = targetAt(next.mode, next.seed, target.index + 1);
  next.targetSince = nowMs;
  if (!isTimed(next.mode) && next.points.length >= next.settings.stepsCount) {
    return { session: endSession(next, EndReason.Completed, nowMs, tokens), token, serverTs: nowMs, n };
  }
  return { session: next, token, serverTs: nowMs, n };
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

/** What one attempt does to the burst state; `flag` is set when it is abuse (the game must end). */
interface BurstOutcome {
  recent: TimeWindow;
  bursts: number[];
  over: boolean;
  flag: FlagEvidence | null;
}

/**
 * The burst deque: point attempts inside the sliding window. One more than
 * `burstMaxPoints` is a burst; a burst lasts a window (attempts during it do not
 * record new ones). More than `burstLimit` bursts within `burstPeriodMs` is abuse.
 */
function trackBurst(session: GameSession, nowMs: number): BurstOutcome {
  const { burstWindowMs, burstMaxPoints, burstLimit, burstPeriodMs } = session.settings;
  const inWindow = session.recent.after(nowMs - burstWindowMs);
  const over = inWindow.length >= burstMaxPoints;
  const recent = inWindow.add(nowMs);
  let bursts = session.bursts;
  if (!over) return { recent, bursts, over, flag: null };
  const last = bursts.at(-1);
  if (last === undefined || last <= nowMs - burstWindowMs) bursts = [...bursts, nowMs];
  const inPeriod = bursts.filter((ts) => ts > nowMs - burstPeriodMs);
  if (inPeriod.length <= burstLimit) return { recent, bursts, over, flag: null };
  const flag: FlagEvidence = {
    reason: "BURST_ABUSE",
    sessionId: session.id,
    mode: session.mode,
    bursts: inPeriod,
    burstLimit,
    burstPeriodMs,
    burstWindowMs,
    burstMaxPoints,
    recentAttempts: recent.last(100),
    acceptedPoints: session.points.length,
    at: nowMs,
  };
  return { recent, bursts, over, flag };
}
