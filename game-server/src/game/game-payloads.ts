import { GameMode } from "@arena/shared";
import {
  currentScore,
  isTimed,
  type EndGamePayload,
  type GameSession,
  type GameSettings,
  type ResumePayload,
  type WelcomePayload,
} from "@arena/shared/rules/index";

const RULES: Record<GameMode, (s: GameSettings) => string> = {
  [GameMode.Classic]: (s) =>
    `Hit the dot as many times as you can in ${s.durationMs / 1000} s. It moves after every hit. More than ${s.burstMaxPoints} points in ${s.burstWindowMs} ms is a burst; repeated bursts end the game.`,
  [GameMode.Shaky]: (s) =>
    `Hit the shaking dot as many times as you can in ${s.durationMs / 1000} s. A hit counts where the dot was at that moment. More than ${s.burstMaxPoints} points in ${s.burstWindowMs} ms is a burst; repeated bursts end the game.`,
  [GameMode.Steps]: (s) =>
    `Untimed: hit the ${s.stepsCount} steps in order as fast as you can. Your score is the time taken; lower is better.`,
};

export const GUEST_NOTICE = "You are playing as a guest: your score won't be saved. Log in to keep it.";

/** `welcome`: the duration, the mode's rules, and whether the score will be saved. */
export function welcomePayload(mode: GameMode, settings: GameSettings, guest: boolean): WelcomePayload {
  const payload: WelcomePayload = {
    mode,
    durationMs: isTimed(mode) ? settings.durationMs : 0,
    rules: RULES[mode](settings),
    settings: {
      stepsCount: settings.stepsCount,
      burstWindowMs: settings.burstWindowMs,
      burstMaxPoints: settings.burstMaxPoints,
      latencyAllowanceMs: settings.latencyAllowanceMs,
    },
    scoreSaved: !guest,
  };
  if (guest) payload.notice = GUEST_NOTICE;
  return payload;
}

export function endGamePayload(session: GameSession): EndGamePayload {
  const payload: EndGamePayload = { sessionId: session.id, reason: session.endReason!, score: currentScore(session) };
  if (session.endToken) payload.endToken = session.endToken;
  return payload;
}

export function resumePayload(session: GameSession): ResumePayload {
  return {
    sessionId: session.id,
    status: session.status,
    startToken: session.startToken,
    endToken: session.endToken,
    endsAt: session.endsAt,
    target: session.target,
    points: session.points.map((p) => ({ ...p })),
    score: currentScore(session),
  };
}
