import { checkNewName, NAME_MAX, NAME_MIN } from "@arena/shared/names";
import { type AppContext, Paths } from "../app-context.ts";
import { field, h } from "../dom.ts";
import { InputError } from "../error-text.ts";
import type { View } from "../router.ts";
import { formRunner } from "./form-runner.ts";

const GUEST_NOTICE = "As a guest you can play, but your scores won't be saved unless you log in.";

/** Home: log in, create an account, or play as a guest; links to the lobby and the boards. */
export function homeView(ctx: AppContext): View {
  const status = h("p", { class: "status", role: "alert", "data-testid": "home-status" });
  const body = h("div", { class: "home-body" });
  const el = h(
    "section",
    { class: "page home-page", "aria-labelledby": "home-title" },
    h("h1", { id: "home-title", tabindex: -1 }, "Dot Arena"),
    h("p", { class: "lead" }, "Hit the dot. Beat the clock. Climb the live boards."),
    body,
    status,
  );

  const busy = formRunner(status);

  const render = () => {
    const player = ctx.auth.player;
    if (player.kind === "user") {
      body.replaceChildren(
        h("p", { "data-testid": "who" }, "Logged in as ", h("strong", {}, player.username), "."),
        nav(ctx),
        h("button", { type: "button", class: "secondary", onclick: () => void ctx.auth.logout() }, "Log out"),
      );
      return;
    }
    const account = h(
      "form",
      { class: "card", "aria-labelledby": "account-title", novalidate: true },
      h("h2", { id: "account-title" }, "Your account"),
      h("label", { for: "username" }, "Username"),
      h("input", { id: "username", name: "username", autocomplete: "username", required: true, minlength: NAME_MIN, maxlength: NAME_MAX }),
      h("label", { for: "password" }, "Password"),
      h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true, minlength: 8, maxlength: 128 }),
      h(
        "div",
        { class: "row" },
        h("button", { type: "submit", name: "action", value: "login" }, "Log in"),
        h("button", { type: "submit", name: "action", value: "register", class: "secondary" }, "Create account"),
      ),
    );
    account.addEventListener("submit", (event) => {
      event.preventDefault();
      const action = ((event as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? "login";
      void busy(account, async () => {
        const username = field(account, "username");
        const password = field(account, "password");
        if (action === "register") {
          const check = checkNewName(username);
          if (!check.ok) throw new InputError(`Username: ${check.reason}.`);
          if (password.length < 8) throw new InputError("Password: at least 8 characters.");
          await ctx.auth.register(check.name, password);
        } else {
          await ctx.auth.login(username, password);
        }
      });
    });

    const guest = h(
      "form",
      { class: "card", "aria-labelledby": "guest-title", novalidate: true },
      h("h2", { id: "guest-title" }, "Play as a guest"),
      h("p", { class: "notice", "data-testid": "guest-notice" }, GUEST_NOTICE),
      h("label", { for: "nickname" }, "Nickname"),
      h("input", { id: "nickname", name: "nickname", autocomplete: "nickname", required: true, maxlength: NAME_MAX, value: player.kind === "guest" ? player.nickname : "" }),
      h("button", { type: "submit" }, player.kind === "guest" ? "Change nickname" : "Play as guest"),
    );
    guest.addEventListener("submit", (event) => {
      event.preventDefault();
      void busy(guest, async () => {
        const check = checkNewName(field(guest, "nickname"));
        if (!check.ok) throw new InputError(`Nickname: ${check.reason}.`);
        ctx.auth.playAsGuest(check.name);
        ctx.navigate(Paths.lobby);
      });
    });

    body.replaceChildren(
      player.kind === "guest"
        ? h("div", {}, h("p", { "data-testid": "who" }, "Playing as guest ", h("strong", {}, player.nickname), "."), nav(ctx))
        : "",
      account,
      guest,
    );
  };

  render();
  const unsubscribe = ctx.auth.onChange(render);
  return { el, title: "Home", dispose: unsubscribe };
}

function nav(ctx: AppContext): HTMLElement {
  return h(
    "div",
    { class: "row" },
    h("button", { type: "button", onclick: () => ctx.navigate(Paths.lobby) }, "Go to the lobby"),
    h("button", { type: "button", class: "secondary", onclick: () => ctx.navigate(Paths.scoreboard) }, "Scoreboard"),
  );
}

export { GUEST_NOTICE };
