import { GAME_MODES, type GameMode } from "@arena/shared/protocol";
import { type AppContext, Paths } from "../app-context.ts";
import { checked, field, h } from "../dom.ts";
import type { RoomSummary } from "../net/game-api.ts";
import type { View } from "../router.ts";
import { MODE_LABEL } from "./mode-labels.ts";
import { formRunner } from "./form-runner.ts";

/** Lobby: create a room, join one by code, or pick an open room. */
export function lobbyView(ctx: AppContext): View {
  const status = h("p", { class: "status", role: "alert", "data-testid": "lobby-status" });
  const list = h("ul", { class: "room-list", "aria-live": "polite", "data-testid": "room-list" });
  const player = ctx.auth.player;

  const run = formRunner(status);

  const create = h(
    "form",
    { class: "card", "aria-labelledby": "create-title" },
    h("h2", { id: "create-title" }, "Create a room"),
    h("label", { for: "mode" }, "Mode"),
    h("select", { id: "mode", name: "mode" }, GAME_MODES.map((mode) => h("option", { value: mode }, MODE_LABEL[mode]))),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "ranked", id: "ranked" }), " Ranked (logged-in players only)"),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "allowGuests", id: "allowGuests", checked: true }), " Guests may join"),
    h("label", { for: "maxPlayers" }, "Players"),
    h("input", { id: "maxPlayers", name: "maxPlayers", type: "number", min: 1, max: 16, value: 4, inputmode: "numeric" }),
    h("button", { type: "submit" }, "Create room"),
  );
  // Ranked rooms never admit guests (their scores could not count): say so in the form.
  create.addEventListener("change", () => {
    const guests = create.elements.namedItem("allowGuests") as HTMLInputElement;
    guests.disabled = checked(create, "ranked");
    if (guests.disabled) guests.checked = false;
  });
  create.addEventListener("submit", (event) => {
    event.preventDefault();
    void run(create, async () => {
      const ranked = checked(create, "ranked");
      const room = await ctx.games.createRoom({
        mode: field(create, "mode") as GameMode,
        ranked,
        allowGuests: !ranked && checked(create, "allowGuests"),
        maxPlayers: Math.min(16, Math.max(1, Number(field(create, "maxPlayers")) || 4)),
      });
      ctx.navigate(`${Paths.play(room.roomId)}?code=${encodeURIComponent(room.code)}`);
    });
  });

  const join = h(
    "form",
    { class: "card", "aria-labelledby": "join-title" },
    h("h2", { id: "join-title" }, "Join by code"),
    h("label", { for: "code" }, "Room code"),
    h("input", { id: "code", name: "code", autocomplete: "off", autocapitalize: "characters", spellcheck: "false", required: true, maxlength: 12 }),
    h("button", { type: "submit" }, "Join"),
  );
  join.addEventListener("submit", (event) => {
    event.preventDefault();
    void run(join, async () => {
      const room = await ctx.games.roomByCode(field(join, "code"));
      ctx.navigate(`${Paths.play(room.roomId)}?code=${encodeURIComponent(room.code)}`);
    });
  });

  const refresh = () =>
    run(null, async () => {
      const rooms = await ctx.games.listRooms();
      list.replaceChildren(...(rooms.length ? rooms.map((room) => roomItem(ctx, room)) : [h("li", {}, "No open rooms right now.")]));
    });
  const refreshButton = h("button", { type: "button", class: "secondary", onclick: () => void refresh() }, "Refresh");

  const el = h(
    "section",
    { class: "page lobby-page", "aria-labelledby": "lobby-title" },
    h("h1", { id: "lobby-title", tabindex: -1 }, "Lobby"),
    player.kind === "anonymous"
      ? h("p", { class: "notice" }, "Log in or pick a guest nickname on the home page first. ", h("a", { href: `#${Paths.home}` }, "Go home"))
      : player.kind === "guest"
        ? h("p", { class: "notice", "data-testid": "guest-notice" }, `Playing as guest ${player.nickname}: your scores won't be saved unless you log in.`)
        : "",
    status,
    player.kind === "user" ? create : h("p", { class: "card" }, "Log in to create rooms. As a guest you can join rooms that allow guests."),
    join,
    h("section", { class: "card", "aria-labelledby": "open-title" }, h("h2", { id: "open-title" }, "Open rooms"), list, refreshButton),
  );
  void refresh();
  const poll = setInterval(() => void refresh(), 5000);
  return { el, title: "Lobby", dispose: () => clearInterval(poll) };
}

function roomItem(ctx: AppContext, room: RoomSummary): HTMLElement {
  const details = [
    room.mode ? MODE_LABEL[room.mode] : "",
    room.ranked ? "ranked" : "casual",
    room.allowGuests ? "guests welcome" : "",
    room.clients !== undefined && room.maxPlayers ? `${room.clients}/${room.maxPlayers} players` : "",
  ].filter(Boolean);
  return h(
    "li",
    {},
    h("span", { class: "code" }, room.code || room.roomId),
    h("span", { class: "details" }, details.join(" · ")),
    h(
      "button",
      { type: "button", onclick: () => ctx.navigate(`${Paths.play(room.roomId)}?code=${encodeURIComponent(room.code)}`), "aria-label": `Join room ${room.code}` },
      "Join",
    ),
  );
}
