import { positionAt, type Target } from "@arena/shared/rules/mode-rules";
import type { GameMode } from "@arena/shared/protocol";
import type { RejectReason } from "@arena/shared/rules/validate-submission";
import { type AppContext, Paths } from "../app-context.ts";
import { h } from "../dom.ts";
import { describeError, ERROR_TEXT } from "../error-text.ts";
import { clientNow, GamePlay } from "../net/game-play.ts";
import type { View } from "../router.ts";
import { MODE_HELP, MODE_LABEL } from "./mode-labels.ts";
import { END_TEXT, REJECT_TEXT } from "./play-text.ts";

/** The field is FIELD_UNITS × FIELD_UNITS logical units (shared FIELD), scaled to the screen. */
const FIELD_UNITS = 1000;
/** How long a dropped connection may try to come back before the page calls the room lost. */
const RECONNECT_GIVE_UP_MS = 5000;

/** A game room: join with a ticket, start, hit the dot, see the result. */
export function playView(ctx: AppContext, roomId: string, query: URLSearchParams): View {
  const codeText = h("span", { class: "code room-code", "data-testid": "room-code" }, query.get("code") ?? "");
  const status = h("p", { class: "status", role: "alert", "data-testid": "play-status" });
  const info = h("p", { class: "mode-info", "data-testid": "mode-info" }, "Joining the room…");
  const notice = h("p", { class: "notice", hidden: true, "data-testid": "play-notice" });
  const players = h("ul", { class: "players", "aria-label": "Players in this room" });
  const clock = h("span", { "data-testid": "clock" }, "–");
  const score = h("span", { "aria-live": "polite", "aria-atomic": "true", "data-testid": "score" }, "Points: 0");
  const dot = h("button", { type: "button", class: "dot", hidden: true, "aria-label": "Hit the dot", "data-testid": "dot" });
  const hint = h("p", { class: "field-hint", "aria-hidden": "true" }, "Press Start, then hit the dot.");
  const field = h("div", { class: "field", "data-testid": "field" }, hint, dot);
  const startButton = h("button", { type: "button", disabled: true, "data-testid": "start" }, "Start");
  const result = h("div", { class: "result", "aria-live": "polite", "data-testid": "result" });
  const lost = h(
    "div",
    { class: "card", hidden: true, role: "alert", "data-testid": "room-lost" },
    h("p", {}, "The game server stopped answering, so this room is gone. Start or join another one."),
    h("button", { type: "button", "data-testid": "new-room", onclick: () => ctx.navigate(Paths.lobby) }, "New room"),
  );
  let giveUp: ReturnType<typeof setTimeout> | undefined;
  const afterActions = h(
    "div",
    { class: "row", hidden: true },
    h("button", { type: "button", class: "secondary", onclick: () => ctx.navigate(Paths.scoreboard) }, "Scoreboard"),
    h("button", { type: "button", class: "secondary", onclick: () => ctx.navigate(Paths.lobby) }, "Back to the lobby"),
  );

  let game: GamePlay | null = null;
  let mode: GameMode | null = null;
  let target: Target | null = null;
  let targetSince = 0;
  let frame = 0;
  let disposed = false;
  let steps = 0;
  const stepText = (done: number) => `Step ${done} of ${steps}`;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

  const place = () => {
    if (!target) return;
    const at = positionAt(target, clientNow() - targetSince);
    dot.style.left = `${(at.x / FIELD_UNITS) * 100}%`;
    dot.style.top = `${(at.y / FIELD_UNITS) * 100}%`;
    const size = `${((target.radius * 2) / FIELD_UNITS) * 100}%`;
    dot.style.width = size;
    dot.style.height = size;
  };
  const animate = () => {
    place();
    frame = target?.shakeSeed !== undefined ? requestAnimationFrame(animate) : 0;
  };
  const tickClock = () => {
    if (!game) return;
    const ends = game.endsAtClient;
    if (ends !== null) clock.textContent = `Time: ${Math.max(0, Math.ceil((ends - clientNow()) / 1000))} s`;
    else if (mode === "steps" && target) clock.textContent = `Time: ${((clientNow() - game.clientStartTs) / 1000).toFixed(1)} s`;
  };
  const clockTimer = setInterval(tickClock, 100);

  dot.addEventListener("click", (event) => {
    if (!game || !target) return;
    // Keyboard activation (detail 0) aims at the dot's centre; a pointer uses where it landed.
    if (event.detail === 0) {
      const at = positionAt(target, clientNow() - targetSince);
      game.hit(Math.round(at.x), Math.round(at.y));
    } else {
      const rect = field.getBoundingClientRect();
      game.hit(
        Math.round(((event.clientX - rect.left) / rect.width) * FIELD_UNITS),
        Math.round(((event.clientY - rect.top) / rect.height) * FIELD_UNITS),
      );
    }
  });
  startButton.addEventListener("click", () => {
    if (!game) return;
    startButton.disabled = true;
    result.replaceChildren();
    afterActions.hidden = true;
    status.textContent = "";
    score.textContent = mode === "steps" ? stepText(0) : "Points: 0";
    game.start();
  });

  const join = async () => {
    if (ctx.auth.player.kind === "anonymous") {
      info.textContent = "";
      status.replaceChildren("Log in or pick a guest nickname first. ", h("a", { href: `#${Paths.home}` }, "Go home"));
      return;
    }
    try {
      const ticket = await ctx.games.ticket(roomId);
      if (disposed) return;
      game = await GamePlay.join(ctx.config.gameServerUrl, roomId, ticket, {
        welcome: (w) => {
          mode = w.mode;
          info.textContent = `${MODE_LABEL[w.mode]}: ${MODE_HELP[w.mode]}`;
          if (!w.scoreSaved) {
            notice.textContent = w.notice ?? "You're playing as a guest: your score won't be saved unless you log in.";
            notice.hidden = false;
          }
          steps = w.settings.stepsCount;
          clock.textContent = w.durationMs > 0 ? `Time: ${Math.round(w.durationMs / 1000)} s` : "Time: 0.0 s";
          score.textContent = w.mode === "steps" ? stepText(0) : "Points: 0";
          startButton.disabled = false;
          startButton.focus();
        },
        started: () => {
          dot.hidden = false;
        },
        target: (next, since) => {
          target = next;
          targetSince = since;
          dot.hidden = !next;
          hint.hidden = Boolean(next);
          if (next) {
            dot.setAttribute("aria-label", mode === "steps" ? `Step ${next.index + 1}: hit the dot` : "Hit the dot");
            cancelAnimationFrame(frame);
            animate();
            if (document.activeElement === startButton || document.activeElement === document.body) dot.focus();
          }
        },
        accepted: (points, count) => {
          score.textContent = mode === "steps" ? stepText(count) : `Points: ${points}`;
        },
        rejected: (rejection) => {
          // A click that lands just after the timer: the end-of-game message says it all.
          if (rejection === "GAME_OVER") return;
          status.textContent = ERROR_TEXT[rejection] ?? describeError(rejection);
        },
        ended: (end) => {
          tickClock();
          const final = mode === "steps" ? `Time: ${seconds(end.score)}` : `Points: ${end.score}`;
          if (mode === "steps") clock.textContent = final;
          else score.textContent = final;
          status.textContent = "";
          result.replaceChildren(h("p", {}, `${END_TEXT[end.reason] ?? "Game over."} ${final}.`));
          if (end.endToken) result.append(h("p", { "data-testid": "result-pending" }, "Checking your result…"));
          else afterActions.hidden = false;
          startButton.textContent = "Play again";
          startButton.disabled = false;
        },
        result: (r) => {
          result.querySelector("[data-testid=result-pending]")?.remove();
          const shown = r.score === undefined ? "" : mode === "steps" ? ` (${seconds(r.score)})` : ` (${r.score} ${r.score === 1 ? "point" : "points"})`;
          const rank = typeof r.rank === "number" ? ` Your rank on the ${r.board ?? mode} board: #${r.rank}.` : "";
          const line = r.saved
            ? h("p", { class: "ok", "data-testid": "result-saved" }, `Score saved${shown}!${rank || " It will show on the scoreboard shortly."}`)
            : r.accepted && r.code
              ? h("p", { class: "status", "data-testid": "result-not-saved" }, `Your score${shown} could not be saved: ${describeError(r.code)}`)
              : r.accepted
              ? h("p", { class: "notice", "data-testid": "result-not-saved" }, `Your score${shown} was not saved because you played as a guest. Log in to save your scores.`)
              : h("p", { class: "status", "data-testid": "result-rejected" }, `Result rejected: ${rejectText(r.reason, r.code)}`);
          result.append(line);
          afterActions.hidden = false;
          startButton.focus();
        },
        players: (list, code) => {
          if (code && codeText.textContent !== code) codeText.textContent = code;
          players.replaceChildren(
            ...list.map((p) =>
              h("li", { class: p.connected ? null : "away" }, p.nick, p.guest ? " (guest)" : "", p.score !== undefined && (mode !== "steps" || p.score > 0) ? ` · ${mode === "steps" ? seconds(p.score) : p.score}` : ""),
            ),
          );
        },
        error: (error) => {
          status.textContent = describeError(error);
        },
        connection: (state) => {
          clearTimeout(giveUp);
          if (state === "reconnecting") {
            status.textContent = "Connection lost, reconnecting…";
            // The SDK would keep retrying a dead server for about a minute: tell the player sooner.
            giveUp = setTimeout(() => {
              if (disposed) return;
              status.textContent = "";
              lost.hidden = false;
              startButton.disabled = true;
              dot.hidden = true;
              game?.leave();
            }, RECONNECT_GIVE_UP_MS);
          } else if (state === "connected") status.textContent = "";
          else if (!disposed && lost.hidden) {
            const pending = result.querySelector("[data-testid=result-pending]");
            pending?.remove();
            status.textContent = pending
              ? "The connection to the game closed before your result was confirmed, so it may not have been saved."
              : "The connection to the game room closed. Go back to the lobby to join again.";
            afterActions.hidden = false;
            startButton.disabled = true;
            dot.hidden = true;
          }
        },
      });
      if (disposed) game.leave();
    } catch (error) {
      info.textContent = "";
      status.textContent = describeError(error);
      afterActions.hidden = false;
    }
  };

  const el = h(
    "section",
    { class: "page play-page", "aria-labelledby": "play-title" },
    h("h1", { id: "play-title", tabindex: -1 }, "Game room"),
    h("p", {}, "Room code: ", codeText, " — share it so friends can join."),
    info,
    notice,
    players,
    h("div", { class: "hud" }, clock, score),
    startButton,
    field,
    status,
    lost,
    result,
    afterActions,
  );
  void join();
  return {
    el,
    title: "Play",
    dispose: () => {
      disposed = true;
      clearTimeout(giveUp);
      clearInterval(clockTimer);
      cancelAnimationFrame(frame);
      game?.leave();
    },
  };
}

function rejectText(reason: RejectReason | undefined, code: Parameters<typeof describeError>[0]): string {
  if (reason && reason in REJECT_TEXT) return REJECT_TEXT[reason];
  return describeError(code ?? "SUBMISSION_REJECTED");
}
