import { MatchPhase } from "@arena/shared/protocol";
import { h } from "../dom.ts";
import type { MatchSnapshot, SeatView } from "../net/match-channel.ts";
import { skinSwatch } from "./skin-look.ts";

/** "12.34 s" for a steps time in ms. */
export const formatSeconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/**
 * Live standings while a round runs or shows its results (best first: most points; in steps the
 * fastest finish, unfinished after), seating order otherwise.
 */
export function standings(s: MatchSnapshot): SeatView[] {
  if (s.phase === MatchPhase.Lobby || s.phase === MatchPhase.Countdown) return s.players;
  const key = (p: SeatView) => (s.mode === "steps" ? (p.score > 0 ? p.score : Number.POSITIVE_INFINITY) : -p.score);
  return [...s.players].sort((a, b) => (a.placement || 1e9) - (b.placement || 1e9) || key(a) - key(b));
}

/**
 * The players list: skin, nick, badges (host, ready, away, guest, watching) and the live score.
 * `mySkin` stands in for this page's own skin while the room state has none.
 */
export function renderRoster(list: HTMLElement, s: MatchSnapshot, mySkin?: string): void {
  const scoring = s.phase === MatchPhase.Running || s.phase === MatchPhase.Results;
  list.replaceChildren(
    ...standings(s).map((p) => {
      const badges = [
        p.sessionId === s.host ? badge("host", "Host") : null,
        p.ready && s.phase === MatchPhase.Lobby ? badge("ready", "Ready") : null,
        !p.connected ? badge("away", "Reconnecting") : !p.active ? badge("away", "Away") : null,
        p.guest ? badge("guest", "Guest") : null,
        scoring && !p.playing ? badge("watching", "Watching") : null,
        p.flagged ? badge("away", "Flagged") : null,
      ];
      const score = scoring && p.playing ? h("span", { class: "score", "data-testid": "standing-score" }, s.mode === "steps" ? (p.score > 0 ? formatSeconds(p.score) : `${p.points} steps`) : String(p.score)) : null;
      return h(
        "li",
        { class: p.connected && p.active ? null : "away", "data-session": p.sessionId, "data-me": p.sessionId === s.me ? "true" : null },
        skinSwatch(p.skin || (p.sessionId === s.me ? mySkin : "")),
        h("span", { class: "nick" }, p.nick, p.sessionId === s.me ? " (you)" : ""),
        ...badges,
        score,
      );
    }),
  );
}

function badge(kind: string, text: string): HTMLElement {
  return h("span", { class: `badge badge-${kind}`, "data-badge": kind }, text);
}
