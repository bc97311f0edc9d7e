import { type AppContext, Paths } from "../app-context.ts";
import { h } from "../dom.ts";
import { describeError, PlayerError } from "../error-text.ts";
import type { SkinOffer } from "../net/progression-api.ts";
import type { View } from "../router.ts";
import { skinSwatch } from "./skin-look.ts";

/** The skins: owned or locked, the price, unlock with profile points, and equip. */
export function skinsView(ctx: AppContext): View {
  const status = h("p", { class: "status", role: "alert", "data-testid": "skins-status" });
  const balance = h("p", { class: "lead", "data-testid": "skins-balance" });
  const list = h("ul", { class: "skin-grid", "data-testid": "skins" });
  const loggedIn = ctx.auth.player.kind === "user";

  const act = async (skin: SkinOffer, action: "unlock" | "equip") => {
    status.textContent = "";
    try {
      if (action === "unlock") await ctx.progression.unlock(skin.id);
      else await ctx.progression.equip(skin.id);
      await load();
      list.querySelector<HTMLElement>(`[data-skin-id="${skin.id}"] button`)?.focus();
    } catch (error) {
      status.textContent = shortOfPoints(error, skin) ?? describeError(error);
    }
  };
  const card = (skin: SkinOffer) => {
    const state = skin.equipped ? "Equipped" : skin.owned ? "Owned" : skin.price === 0 ? "Free" : `${skin.price} points`;
    const button = !loggedIn
      ? null
      : skin.equipped
        ? h("button", { type: "button", disabled: true }, "Wearing")
        : skin.owned
          ? h("button", { type: "button", onclick: () => void act(skin, "equip"), "aria-label": `Equip ${skin.name}` }, "Equip")
          : h("button", { type: "button", onclick: () => void act(skin, "unlock"), "aria-label": `Unlock ${skin.name} for ${skin.price} points` }, `Unlock · ${skin.price}`);
    return h(
      "li",
      { "data-skin-id": skin.id, "data-owned": skin.owned ? "true" : null, "data-equipped": skin.equipped ? "true" : null },
      skinSwatch(skin.id, "large"),
      h("strong", {}, skin.name),
      h("span", { "data-testid": "skin-state" }, state),
      button,
    );
  };
  const load = async () => {
    try {
      const [skins, profile] = await Promise.all([ctx.progression.skins(), loggedIn ? ctx.progression.profile() : null]);
      balance.textContent = profile ? `Your balance: ${profile.balance} points` : "";
      list.replaceChildren(...skins.map(card));
    } catch (error) {
      status.textContent = describeError(error);
    }
  };

  const el = h(
    "section",
    { class: "page skins-page", "aria-labelledby": "skins-title" },
    h("h1", { id: "skins-title", tabindex: -1 }, "Skins"),
    loggedIn
      ? h("p", {}, "Your dot is drawn in the skin you wear, and everyone in your room sees it. Unlock skins with profile points from matches.")
      : h("p", { class: "notice" }, "Log in to unlock and wear skins. ", h("a", { href: `#${Paths.home}` }, "Go home")),
    balance,
    status,
    list,
  );
  void load();
  return { el, title: "Skins" };
}

/** INSUFFICIENT_POINTS in words: how many more points the skin needs. */
function shortOfPoints(error: unknown, skin: SkinOffer): string | null {
  if (!(error instanceof PlayerError) || error.code !== "INSUFFICIENT_POINTS") return null;
  const balance = Number(error.details.balance ?? 0);
  const price = Number(error.details.price ?? skin.price);
  return `Not enough points for ${skin.name}: it costs ${price} and you have ${balance}. You need ${price - balance} more — win matches to earn them.`;
}
