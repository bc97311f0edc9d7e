import { completeAd } from "../ad-gate.ts";
import type { AppContext } from "../app-context.ts";
import { h } from "../dom.ts";
import type { View } from "../router.ts";

/**
 * The house ad: drawn here, nothing loaded from outside. Counts down `adSeconds`, then
 * marks the ad as run and returns to the stored next page.
 */
export function adView(ctx: AppContext): View {
  let left = Math.ceil(ctx.config.adSeconds);
  const countdown = h("p", { class: "ad-countdown", "aria-live": "polite", "data-testid": "ad-countdown" });
  const finish = () => ctx.replace(completeAd(ctx.adStorage, ctx.adRoutes));
  const tick = () => {
    countdown.textContent = left > 0 ? `Your page opens in ${left} s…` : "Opening…";
    if (left <= 0) {
      clearInterval(timer);
      finish();
    }
    left -= 1;
  };
  const timer = setInterval(tick, 1000);
  tick();

  const el = h(
    "section",
    { class: "page ad-page", "aria-labelledby": "ad-title", "data-testid": "ad" },
    h("h1", { id: "ad-title", tabindex: -1 }, "A word from Dot Arena"),
    h(
      "div",
      { class: "house-ad", role: "img", "aria-label": "Advertisement: try Shaky mode, the dot that won't sit still" },
      h("span", { class: "house-ad-dot", "aria-hidden": "true" }),
      h("p", { class: "house-ad-line" }, "New: ", h("strong", {}, "Shaky mode"), " — the dot that won't sit still."),
      h("p", { class: "house-ad-small" }, "Log in and your scores climb the live boards."),
    ),
    countdown,
  );
  return { el, title: "Advertisement", dispose: () => clearInterval(timer) };
}
