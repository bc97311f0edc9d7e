import { MatchPhase } from "@arena/shared/protocol";
import type { MatchSnapshot } from "../net/match-channel.ts";

/** What the Start button does: a lone player's game_start, or the host's start_match. */
export type StartAction = "game_start" | "start_match";

/** The room's buttons for this player, and why one is off. */
export interface MatchControls {
  start: { enabled: boolean; label: string; action: StartAction; reason: string };
  /** The ready badge toggle (players other than the host, in `lobby`). */
  ready: { shown: boolean; ready: boolean };
}

/**
 * The rule behind the Start and Ready buttons (docs/match.md): a lone player starts at once, in
 * `lobby` or `results`; with others seated only the host starts, and only in `lobby`.
 */
export function matchControls(s: MatchSnapshot, waitingForGame: boolean): MatchControls {
  const me = s.players.find((p) => p.sessionId === s.me);
  const seated = s.players.length;
  const lone = s.solo || seated <= 1;
  const isHost = s.host === s.me;
  const hostNick = s.players.find((p) => p.sessionId === s.host)?.nick ?? "the host";
  const ready = { shown: !lone && !isHost && s.phase === MatchPhase.Lobby && Boolean(me), ready: Boolean(me?.ready) };
  const off = (reason: string, action: StartAction = lone ? "game_start" : "start_match") => ({
    start: { enabled: false, label: lone ? "Start" : "Start match", action, reason },
    ready,
  });
  if (!me || waitingForGame) return off("");
  if (s.phase === MatchPhase.Countdown) return off("The match is about to start.");
  if (s.phase === MatchPhase.Running) return off(me.playing ? "" : "A round is under way: you'll play the next one.");
  if (lone) return { start: { enabled: true, label: "Start", action: "game_start", reason: "" }, ready };
  if (!isHost) return off(`Only the host (${hostNick}) can start the match.`);
  if (s.phase === MatchPhase.Results) return off("The next round can start once the results close.");
  const readyCount = s.players.filter((p) => p.sessionId !== s.host && p.ready).length;
  const reason = `${readyCount} of ${seated - 1} other ${seated - 1 === 1 ? "player is" : "players are"} ready.`;
  return { start: { enabled: true, label: "Start match", action: "start_match", reason }, ready };
}
