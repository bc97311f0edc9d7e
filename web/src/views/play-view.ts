import type { MatchResultsPayload } from "@arena/shared/match/match-messages";
import { type GameMode, MatchPhase } from "@arena/shared/protocol";
import type { RejectReason } from "@arena/shared/rules/validate-submission";
import { type AppContext, Paths } from "../app-context.ts";
import { h } from "../dom.ts";
import { describeError, ERROR_TEXT } from "../error-text.ts";
import { type GameResult, GamePlay } from "../net/game-play.ts";
import { MatchChannel, type MatchSnapshot, readSnapshot } from "../net/match-channel.ts";
import { clientNow, RoomClock } from "../net/room-clock.ts";
import { enterRoom, forgetSeat } from "../net/room-link.ts";
import type { View } from "../router.ts";
import { chatPanel } from "./chat-panel.ts";
import { gameField } from "./game-field.ts";
import { matchControls } from "./match-controls.ts";
import { renderPodium } from "./match-podium.ts";
import { formatSeconds, renderRoster, standings } from "./match-roster.ts";
import { MODE_HELP, MODE_LABEL } from "./mode-labels.ts";
import { END_TEXT, REJECT_TEXT } from "./play-text.ts";

/** How long a dropped connection may try to come back before the page calls the room lost. */
const RECONNECT_GIVE_UP_MS = 5000;

/** The match screen: players, the host's start, countdown, the field, standings, podium and chat. */
export function playView(ctx: AppContext, roomId: string, query: URLSearchParams): View {
  const codeText = h("span", { class: "code room-code", "data-testid": "room-code" }, query.get("code") ?? "");
  const status = h("p", { class: "status", role: "alert", "data-testid": "play-status" });
  const info = h("p", { class: "mode-info lobby-only", "data-testid": "mode-info" }, "Joining the room…");
  const notice = h("p", { class: "notice lobby-only", hidden: true, "data-testid": "play-notice" });
  const players = h("ul", { class: "players", "aria-label": "Players and standings", "data-testid": "standings" });
  const clock = h("span", { "data-testid": "clock" }, "–");
  const score = h("span", { "aria-live": "polite", "aria-atomic": "true", "data-testid": "score" }, "Points: 0");
  const place = h("span", { class: "place-now", "data-testid": "my-standing" });
  const field = gameField();
  const startButton = h("button", { type: "button", disabled: true, "data-testid": "start" }, "Start");
  const readyButton = h("button", { type: "button", class: "secondary", hidden: true, "aria-pressed": "false", "data-testid": "ready" }, "I'm ready");
  const startReason = h("p", { class: "start-reason", "data-testid": "start-reason" });
  const result = h("div", { class: "result", "aria-live": "polite", "data-testid": "result" });
  const podiumSlot = h("div", { class: "podium-slot" });
  const lost = h(
    "div",
    { class: "card", hidden: true, role: "alert", "data-testid": "room-lost" },
    h("p", {}, "The game server stopped answering, so this room is gone. Start or join another one."),
    h("button", { type: "button", "data-testid": "new-room", onclick: () => ctx.navigate(Paths.lobby) }, "New room"),
  );
  let giveUp: ReturnType<typeof setTimeout> | undefined;
  const afterActions = h(
    "div",
    { class: "row" },
    h("button", { type: "button", class: "secondary", onclick: () => ctx.navigate(Paths.scoreboard) }, "Scoreboard"),
    h("button", { type: "button", class: "secondary", onclick: () => ctx.navigate(Paths.lobby) }, "Back to the lobby"),
  );

  let game: GamePlay | null = null;
  let match: MatchChannel | null = null;
  const clockRef = new RoomClock();
  let snapshot: MatchSnapshot = readSnapshot("", null);
  let mode: GameMode | null = null;
  let steps = 0;
  let starting = false;
  let disposed = false;
  let countdownAt = 0;
  const stepText = (done: number) => `Step ${done} of ${steps}`;
  const chat = chatPanel(() => snapshot.me, (text) => match?.chat(text));

  const refreshControls = () => {
    const c = matchControls(snapshot, starting || !game || !mode);
    startButton.textContent = c.start.label;
    startButton.disabled = !c.start.enabled;
    startButton.dataset.action = c.start.action;
    startReason.textContent = c.start.reason;
    readyButton.hidden = !c.ready.shown;
    readyButton.setAttribute("aria-pressed", String(c.ready.ready));
    readyButton.textContent = c.ready.ready ? "Not ready" : "I'm ready";
    field.hint(c.start.enabled ? "Press Start, then hit the dot." : snapshot.phase === MatchPhase.Lobby && snapshot.me ? "Waiting for the host to start the match." : null);
  };
  const newRound = () => {
    result.replaceChildren();
    podiumSlot.replaceChildren();
    status.textContent = "";
    score.textContent = mode === "steps" ? stepText(0) : "Points: 0";
    window.scrollTo(0, 0);
  };
  const tick = () => {
    if (countdownAt) {
      const left = countdownAt - clientNow();
      field.countdown(left > 0 ? String(Math.ceil(left / 1000)) : left > -700 ? "Go!" : "");
      if (left <= -700) countdownAt = 0;
    }
    const ends = game?.endsAtClient ?? null;
    if (ends !== null) clock.textContent = `Time: ${Math.max(0, Math.ceil((ends - clientNow()) / 1000))} s`;
    else if (mode === "steps" && game?.target) clock.textContent = `Time: ${((clientNow() - game.clientStartTs) / 1000).toFixed(1)} s`;
  };
  const ticker = setInterval(tick, 100);
  const beginCountdown = (startsAt: number) => {
    if (countdownAt && Math.abs(countdownAt - clockRef.toClient(startsAt)) < 5) return;
    newRound();
    countdownAt = clockRef.toClient(startsAt);
    field.countdown(String(Math.ceil((countdownAt - clientNow()) / 1000)), startsAt);
  };
  const showPodium = (results: MatchResultsPayload) => {
    const podium = renderPodium(results, snapshot.me, () => {
      podiumSlot.replaceChildren();
      result.replaceChildren();
      refreshControls();
      (startButton.disabled ? readyButton : startButton).focus();
    });
    podiumSlot.replaceChildren(podium);
    // Brought into view unless the player is typing in the chat.
    if (!chat.el.contains(document.activeElement)) podium.scrollIntoView({ block: "nearest" });
  };

  field.dot.addEventListener("click", (event) => {
    const aim = field.aim();
    if (!game || !aim) return;
    // Keyboard activation (detail 0) aims at the dot's centre; a pointer uses where it landed.
    const at = event.detail === 0 ? { x: Math.round(aim.x), y: Math.round(aim.y) } : field.unitsOf(event);
    game.hit(at.x, at.y);
  });
  startButton.addEventListener("click", () => {
    if (!game || !match) return;
    starting = true;
    refreshControls();
    newRound();
    if (startButton.dataset.action === "game_start") game.start();
    else match.startMatch();
  });
  readyButton.addEventListener("click", () => match?.setReady(readyButton.getAttribute("aria-pressed") !== "true"));

  const join = async () => {
    if (ctx.auth.player.kind === "anonymous") {
      info.textContent = "";
      status.replaceChildren("Log in or pick a guest nickname first. ", h("a", { href: `#${Paths.home}` }, "Go home"));
      return;
    }
    try {
      const room = await enterRoom(ctx.config.gameServerUrl, roomId, () => ctx.games.ticket(roomId));
      if (disposed) return void room.leave(true).catch(() => {});
      game = new GamePlay(room, clockRef, {
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
          refreshControls();
          if (!startButton.disabled) startButton.focus();
        },
        started: () => {
          starting = false;
          refreshControls();
        },
        target: (next, since) => {
          field.show(next, since, next && mode === "steps" ? `Step ${next.index + 1}: hit the dot` : "Hit the dot");
          if (next && (document.activeElement === startButton || document.activeElement === document.body)) field.dot.focus();
        },
        accepted: (points, count) => {
          score.textContent = mode === "steps" ? stepText(count) : `Points: ${points}`;
          field.hit(mode === "steps" ? `Step ${count}!` : "+1");
        },
        rejected: (rejection) => {
          // A click that lands just after the timer: the end-of-game message says it all.
          if (rejection === "GAME_OVER") return;
          field.miss(rejection === "POINT_REJECTED" ? "Missed!" : "✕");
          status.textContent = ERROR_TEXT[rejection] ?? describeError(rejection);
        },
        ended: (end) => {
          starting = false;
          tick();
          const final = mode === "steps" ? `Time: ${formatSeconds(end.score)}` : `Points: ${end.score}`;
          if (mode === "steps") clock.textContent = final;
          else score.textContent = final;
          status.textContent = "";
          result.replaceChildren(h("p", {}, `${END_TEXT[end.reason] ?? "Game over."} ${final}.`));
          if (end.endToken) result.append(h("p", { "data-testid": "result-pending" }, "Checking your result…"));
          refreshControls();
        },
        result: (r) => {
          result.querySelector("[data-testid=result-pending]")?.remove();
          result.append(resultLine(r, mode));
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
              field.show(null, 0, "");
              game?.leave();
            }, RECONNECT_GIVE_UP_MS);
          } else if (state === "connected") status.textContent = "";
          else if (!disposed && lost.hidden) {
            const pending = result.querySelector("[data-testid=result-pending]");
            pending?.remove();
            status.textContent = pending
              ? "The connection to the game closed before your result was confirmed, so it may not have been saved."
              : status.textContent || "The connection to the game room closed. Go back to the lobby to join again.";
            startButton.disabled = true;
            field.show(null, 0, "");
          }
        },
      });
      match = new MatchChannel(room, clockRef, {
        snapshot: (next) => {
          snapshot = next;
          if (next.code && codeText.textContent !== next.code) codeText.textContent = next.code;
          const me = next.players.find((p) => p.sessionId === next.me);
          const inRound = (next.phase === MatchPhase.Countdown || next.phase === MatchPhase.Running) && Boolean(me?.playing);
          if (el.dataset.phase !== next.phase || el.classList.contains("in-round") !== inRound) {
            el.dataset.phase = next.phase;
            el.classList.toggle("in-round", inRound);
            requestAnimationFrame(field.fit);
          }
          if (next.phase === MatchPhase.Countdown && next.startsAt) beginCountdown(next.startsAt);
          if (next.phase === MatchPhase.Running) game?.anchor(next.startsAt);
          field.skin(me?.skin || ctx.auth.skin);
          renderRoster(players, next, ctx.auth.skin);
          // The standings are beside the field on a wide screen and under it on a phone: the HUD says where this player stands.
          const ranked = standings(next).filter((p) => p.playing);
          const at = ranked.findIndex((p) => p.sessionId === next.me);
          place.textContent = next.phase === MatchPhase.Running && at >= 0 && ranked.length > 1 ? `#${at + 1} of ${ranked.length}` : "";
          refreshControls();
        },
        countdown: (c) => beginCountdown(c.startsAt),
        results: showPodium,
        calledOff: (c) => {
          countdownAt = 0;
          field.countdown("");
          status.textContent = `The round was called off: ${c.nick} ${c.reason === "player_left" ? "left" : "went away"}. Nobody is placed.`;
        },
        chat: (line) => chat.add(line),
        chatHistory: (lines) => chat.history(lines),
        playerJoined: (j) => {
          status.textContent = `${j.nick}${j.guest ? " (guest)" : ""} joined the room.`;
        },
        closing: () => {
          status.textContent = "The room closed after a long time without activity. Go back to the lobby to play again.";
        },
        error: (error, type) => {
          if (type === "chat") return chat.refused(error);
          starting = false;
          refreshControls();
          status.textContent = describeError(error);
        },
      });
    } catch (error) {
      info.textContent = "";
      status.textContent = describeError(error);
    }
  };

  const el = h(
    "section",
    { class: "page play-page", "aria-labelledby": "play-title", "data-phase": "lobby" },
    h("h1", { id: "play-title", tabindex: -1 }, "Game room ", h("span", { class: "title-code" }, "· ", codeText)),
    h("p", { class: "lobby-only" }, "Share the room code so friends can join."),
    info,
    notice,
    h(
      "div",
      { class: "match-layout" },
      h(
        "div",
        { class: "arena" },
        h("div", { class: "hud" }, clock, place, score),
        h("div", { class: "row controls" }, startButton, readyButton, startReason),
        field.el,
        status,
        lost,
        result,
        podiumSlot,
        afterActions,
      ),
      h("aside", { class: "side" }, h("section", { class: "card roster", "aria-labelledby": "players-title" }, h("h2", { id: "players-title" }, "Players"), players), chat.el),
    ),
  );
  void join();
  requestAnimationFrame(field.fit);
  return {
    el,
    title: "Play",
    dispose: () => {
      disposed = true;
      clearTimeout(giveUp);
      clearInterval(ticker);
      field.dispose();
      match?.stop();
      forgetSeat(roomId);
      game?.leave();
    },
  };
}

function resultLine(r: GameResult, mode: GameMode | null): HTMLElement {
  const shown = r.score === undefined ? "" : mode === "steps" ? ` (${formatSeconds(r.score)})` : ` (${r.score} ${r.score === 1 ? "point" : "points"})`;
  const rank = typeof r.rank === "number" ? ` Your rank on the ${r.board ?? mode} board: #${r.rank}.` : "";
  if (r.saved) return h("p", { class: "ok", "data-testid": "result-saved" }, `Score saved${shown}!${rank || " It will show on the scoreboard shortly."}`);
  if (r.accepted && r.code) return h("p", { class: "status", "data-testid": "result-not-saved" }, `Your score${shown} could not be saved: ${describeError(r.code)}`);
  if (r.accepted) return h("p", { class: "notice", "data-testid": "result-not-saved" }, `Your score${shown} was not saved because you played as a guest. Log in to save your scores.`);
  return h("p", { class: "status", "data-testid": "result-rejected" }, `Result rejected: ${rejectText(r.reason, r.code)}`);
}

function rejectText(reason: RejectReason | undefined, code: Parameters<typeof describeError>[0]): string {
  if (reason && reason in REJECT_TEXT) return REJECT_TEXT[reason];
  return describeError(code ?? "SUBMISSION_REJECTED");
}
