import { type AppContext, Paths } from "../app-context.ts";
import { h } from "../dom.ts";
import { describeError } from "../error-text.ts";
import type { LedgerRow } from "../net/progression-api.ts";
import type { View } from "../router.ts";
import { skinOf, skinSwatch } from "./skin-look.ts";

/** Why a ledger row moved the balance, in a player's words. */
const REASON_TEXT: Record<LedgerRow["reason"], string> = {
  match: "Match",
  login_bonus: "Daily login bonus",
  skin_unlock: "Skin unlocked",
  admin_adjust: "Adjustment",
};

/** The player's profile: balance, lifetime points, login streak, equipped skin and recent history. */
export function profileView(ctx: AppContext): View {
  const status = h("p", { class: "status", role: "alert", "data-testid": "profile-status" });
  const body = h("div", { "aria-live": "polite" }, h("p", {}, "Loading…"));
  const el = h("section", { class: "page profile-page", "aria-labelledby": "profile-title" }, h("h1", { id: "profile-title", tabindex: -1 }, "Profile"), status, body);

  const load = async () => {
    if (ctx.auth.player.kind !== "user") {
      body.replaceChildren(h("p", { class: "notice" }, "Log in to earn profile points and see your history. Guests earn nothing. ", h("a", { href: `#${Paths.home}` }, "Go home")));
      return;
    }
    try {
      const p = await ctx.progression.profile();
      const stat = (label: string, value: string | number, testid: string) => h("div", {}, h("dt", {}, label), h("dd", { "data-testid": testid }, String(value)));
      body.replaceChildren(
        h("p", { class: "lead" }, p.username),
        h("dl", { class: "stats" }, stat("Balance", p.balance, "balance"), stat("Earned in all", p.lifetime_earned, "lifetime"), stat("Login streak", `${p.login_streak} ${p.login_streak === 1 ? "day" : "days"}`, "streak")),
        h("p", { class: "row" }, skinSwatch(p.equipped_skin, "large"), h("span", { "data-testid": "equipped" }, `Wearing ${skinOf(p.equipped_skin).name}`), h("a", { href: `#${Paths.skins}` }, "Change skin")),
        h("h2", {}, "History"),
        p.ledger.length
          ? h(
              "table",
              { class: "ledger", "data-testid": "ledger" },
              h("thead", {}, h("tr", {}, h("th", {}, "When"), h("th", {}, "What"), h("th", {}, "Points"))),
              h(
                "tbody",
                {},
                p.ledger.map((row) =>
                  h(
                    "tr",
                    {},
                    h("td", {}, new Date(row.created_at).toLocaleString()),
                    h("td", {}, REASON_TEXT[row.reason], row.reason === "skin_unlock" ? `: ${skinOf(row.reference).name}` : ""),
                    h("td", { class: "amount" }, row.amount > 0 ? `+${row.amount}` : String(row.amount)),
                  ),
                ),
              ),
            )
          : h("p", {}, "Nothing yet: play a match to earn points."),
      );
    } catch (error) {
      body.replaceChildren();
      status.textContent = describeError(error);
    }
  };
  void load();
  return { el, title: "Profile" };
}
