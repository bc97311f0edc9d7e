import { EndReason, GameStatus, currentScore, isTimed, type GameSession } from "@arena/shared/rules/index";
import { MatchOutcome, type MatchRecordBody } from "@arena/shared/contracts/internal-api";
import type { GameMode } from "@arena/shared";
import type { MatchResultLine } from "@arena/shared/match/match-messages";
import { placeRound } from "@arena/shared/match/placements";

/** One player of a finished round, as the room saw them: the public line plus what the record needs. */
export interface RoundLine extends Omit<MatchResultLine, "pointsEarned"> {
  sub: string;
  /** The player's game session id (their result's idempotency key), when they played. */
  gameSessionId: string | null;
  /** Still waiting for this account's submission to be judged. */
  awaiting: boolean;
}

/** Who played a round: their seat facts and final session (null when they never started). */
export interface RoundPlayer {
  sub: string;
  sessionId: string;
  nick: string;
  guest: boolean;
  session: GameSession | null;
}

/** The round's lines, placed (shared placeRound), best first; accounts with an end token await their submission. */
export function placeLines(mode: GameMode, players: readonly RoundPlayer[]): RoundLine[] {
  const lines = players.map((p): RoundLine => {
    const s = p.session;
    const flagged = s?.endReason === EndReason.BurstAbuse;
    const completed = s?.endReason === EndReason.Completed;
    return {
      sub: p.sub,
      sessionId: p.sessionId,
      nick: p.nick,
      guest: p.guest,
      score: s ? currentScore(s) : 0,
      placement: 0,
      flagged,
      finished: isTimed(mode) ? !flagged && s?.status === GameStatus.Ended : completed,
      gameSessionId: s?.id ?? null,
      resultSaved: false,
      awaiting: !p.guest && Boolean(s?.endToken) && !s?.submitted,
    };
  });
  const placements = placeRound(mode, lines.map((l) => ({ id: l.sub, score: l.score, finished: l.finished, flagged: l.flagged })));
  for (const line of lines) line.placement = placements.get(line.sub) ?? 0;
  return lines.sort((a, b) => a.placement - b.placement);
}

export interface RecordFacts {
  matchId: string;
  roomCode: string;
  mode: GameMode;
  round: number;
  solo: boolean;
  outcome: MatchOutcome;
  startedAt: number;
  endedAt: number;
  lines: readonly RoundLine[];
}

/** The body of `POST /internal/match-records` (shared contract). */
export function matchRecordBody(facts: RecordFacts): MatchRecordBody {
  const calledOff = facts.outcome === MatchOutcome.CalledOff;
  return {
    match_id: facts.matchId,
    room_code: facts.roomCode,
    mode: facts.mode,
    round: facts.round,
    solo: facts.solo,
    outcome: facts.outcome,
    started_at: new Date(facts.startedAt).toISOString(),
    ended_at: new Date(Math.max(facts.startedAt, facts.endedAt)).toISOString(),
    players: facts.lines.map((l) => ({
      user_id: l.guest ? null : l.sub,
      nick: l.nick,
      guest: l.guest,
      score: Math.max(0, Math.round(l.score)),
      placement: calledOff ? 0 : l.placement,
      flagged: l.flagged,
      finished: l.finished,
      result_saved: !calledOff && l.resultSaved,
      result_id: !calledOff && l.resultSaved ? l.gameSessionId : null,
    })),
  };
}

/** The `match_results` lines, with the profile points the backend credited (0 when unknown). */
export function resultLines(lines: readonly RoundLine[], pointsEarned: Record<string, number>): MatchResultLine[] {
  return lines.map((l) => ({
    sessionId: l.sessionId,
    nick: l.nick,
    guest: l.guest,
    score: l.score,
    placement: l.placement,
    flagged: l.flagged,
    finished: l.finished,
    pointsEarned: l.guest ? 0 : (pointsEarned[l.sub] ?? 0),
    resultSaved: l.resultSaved,
  }));
}
