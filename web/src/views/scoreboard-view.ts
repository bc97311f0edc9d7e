import { type Board, BOARDS, type Period, PERIODS } from "@arena/shared/protocol";
import type { AppContext } from "../app-context.ts";
import { h } from "../dom.ts";
import { describeError } from "../error-text.ts";
import { requestJson } from "../net/http-client.ts";
import { type BoardEntry, ScoreboardSocket, scoreboardUrl } from "../net/scoreboard-socket.ts";
import type { View } from "../router.ts";
import { BOARD_LABEL, PERIOD_LABEL } from "./mode-labels.ts";

interface BoardAnswer {
  leaderboard: BoardEntry[];
  total_players?: number;
}

interface MeAnswer {
  rank?: number | null;
  score?: number | null;
  entry?: { rank?: number; score?: number } | null;
}

/** The live top 10 of one board and period, and the player's own rank. */
export function scoreboardView(ctx: AppContext, query: URLSearchParams): View {
  let board: Board = (BOARDS as string[]).includes(query.get("board") ?? "") ? (query.get("board") as Board) : "classic";
  let period: Period = (PERIODS as string[]).includes(query.get("period") ?? "") ? (query.get("period") as Period) : "all";

  const rows = h("tbody", { "data-testid": "board-rows" });
  const caption = h("caption", {});
  const table = h(
    "table",
    { class: "board" },
    caption,
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Rank"), h("th", { scope: "col" }, "Player"), h("th", { scope: "col" }, "Score"))),
    rows,
  );
  const live = h("p", { class: "live-status", "data-testid": "live-status" }, "Connecting…");
  const own = h("p", { class: "own-rank", "aria-live": "polite", "data-testid": "own-rank" });
  const status = h("p", { class: "status", role: "alert" });
  const announcer = h("p", { class: "visually-hidden", "aria-live": "polite" });

  const boardButtons = BOARDS.map((b) =>
    h("button", { type: "button", class: "tab", "aria-pressed": String(b === board), "data-board": b, onclick: () => select(b, period) }, BOARD_LABEL[b]),
  );
  const periodSelect = h(
    "select",
    { id: "period", "aria-label": "Period" },
    PERIODS.map((p) => h("option", { value: p, selected: p === period }, PERIOD_LABEL[p])),
  );
  periodSelect.addEventListener("change", () => select(board, periodSelect.value as Period));

  const formatScore = (score: number) => (board === "steps" ? `${(score / 1000).toFixed(2)} s` : String(score));

  const draw = (entries: BoardEntry[], changed: number[] = []) => {
    caption.textContent = `${BOARD_LABEL[board]} · ${PERIOD_LABEL[period]} · top 10`;
    const me = ctx.auth.player.kind === "user" ? ctx.auth.player.userId : null;
    rows.replaceChildren(
      ...(entries.length
        ? entries.slice(0, 10).map((entry) =>
            h(
              "tr",
              { class: [changed.includes(entry.rank) ? "changed" : "", String(entry.user_id) === me ? "me" : ""].join(" ").trim() || null },
              h("td", {}, entry.rank),
              h("td", {}, entry.username),
              h("td", {}, formatScore(entry.score)),
            ),
          )
        : [h("tr", {}, h("td", { colspan: 3 }, "No scores yet. Be the first!"))]),
    );
  };

  const loadOwn = async () => {
    if (ctx.auth.player.kind !== "user") {
      own.textContent = "Log in to get a rank on the boards.";
      return;
    }
    const me = await ctx.auth
      .withToken((token) => requestJson<MeAnswer>(`${ctx.config.backendUrl}/api/scoreboard/me?board=${board}&period=${period}`, { token }))
      .catch(() => null);
    const rank = me?.rank ?? me?.entry?.rank;
    const score = me?.score ?? me?.entry?.score;
    own.textContent = typeof rank === "number" ? `Your rank: #${rank} (${formatScore(score ?? 0)})` : "You're not on this board yet.";
  };

  const load = async () => {
    status.textContent = "";
    try {
      const answer = await requestJson<BoardAnswer>(`${ctx.config.backendUrl}/api/scoreboard?board=${board}&period=${period}`);
      draw(answer.leaderboard ?? []);
    } catch (error) {
      status.textContent = describeError(error);
    }
    await loadOwn();
  };

  function select(nextBoard: Board, nextPeriod: Period) {
    board = nextBoard;
    period = nextPeriod;
    boardButtons.forEach((button) => button.setAttribute("aria-pressed", String(button.dataset.board === board)));
    socket.watch(board, period);
    void load();
  }

  const socket = new ScoreboardSocket(scoreboardUrl(ctx.config.backendUrl), () => ctx.auth.accessToken(), board, period, {
    board: (entries, changed) => {
      draw(entries, changed);
      if (changed.length) announcer.textContent = `${BOARD_LABEL[board]} board updated.`;
      void loadOwn();
    },
    own: ({ newScore, rank }) => {
      own.textContent = `Your rank: #${rank} (${formatScore(newScore)})`;
    },
    status: (state) => {
      live.textContent = state === "live" ? "● Live" : state === "connecting" ? "Connecting…" : "Offline — reconnecting…";
      live.dataset.state = state;
    },
  });

  const el = h(
    "section",
    { class: "page scoreboard-page", "aria-labelledby": "board-title" },
    h("h1", { id: "board-title", tabindex: -1 }, "Scoreboard"),
    h("div", { class: "tabs", role: "group", "aria-label": "Board" }, boardButtons),
    h("div", { class: "row" }, h("label", { for: "period" }, "Period"), periodSelect, live),
    status,
    table,
    own,
    announcer,
  );
  void load();
  return { el, title: "Scoreboard", dispose: () => socket.close() };
}
