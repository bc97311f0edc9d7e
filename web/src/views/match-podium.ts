import type { MatchResultLine, MatchResultsPayload } from "@arena/shared/match/match-messages";
import { h } from "../dom.ts";
import { formatSeconds } from "./match-roster.ts";

const ORDINAL = ["1st", "2nd", "3rd"];
const ordinal = (n: number) => ORDINAL[n - 1] ?? `${n}th`;

/** The results podium: placements best first, scores, profile points earned, and who earns nothing. */
export function renderPodium(results: MatchResultsPayload, me: string, onPlayAgain: () => void): HTMLElement {
  const mine = results.players.find((p) => p.sessionId === me);
  const score = (p: MatchResultLine) => (results.mode === "steps" ? (p.finished ? formatSeconds(p.score) : "did not finish") : `${p.score} ${p.score === 1 ? "point" : "points"}`);
  const earned = (p: MatchResultLine) => (p.guest ? "guest: no profile points" : p.flagged ? "flagged: no profile points" : `+${p.pointsEarned} profile points`);
  const playAgain = h("button", { type: "button", "data-testid": "play-again", onclick: onPlayAgain }, "Play again");
  return h(
    "section",
    { class: "podium card", "aria-labelledby": "podium-title", "data-testid": "podium" },
    h("h2", { id: "podium-title", tabindex: -1 }, results.solo ? "Your round" : `Round ${results.round} results`),
    mine && !results.solo ? h("p", { class: "ok", "data-testid": "my-placement" }, `You placed ${ordinal(mine.placement)}.`) : null,
    h(
      "ol",
      { class: "podium-list" },
      results.players.map((p) =>
        h(
          "li",
          { class: p.placement <= 3 ? `place place-${p.placement}` : "place", "data-me": p.sessionId === me ? "true" : null },
          h("span", { class: "placement", "data-testid": "placement" }, ordinal(p.placement)),
          h("span", { class: "nick" }, p.nick),
          h("span", { class: "score" }, score(p)),
          h("span", { class: "earned", "data-testid": "points-earned" }, earned(p)),
        ),
      ),
    ),
    mine?.guest ? h("p", { class: "notice", "data-testid": "guest-earns-nothing" }, "Guests earn no profile points. Log in to earn points and unlock skins.") : null,
    results.solo ? h("p", { class: "lead" }, "A round alone pays 1× your points; win a match against others for up to 3×.") : null,
    h("div", { class: "row" }, playAgain),
  );
}
