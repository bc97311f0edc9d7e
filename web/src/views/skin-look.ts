import { findSkin, resolveSkinId, type Skin } from "@arena/shared/progression/skins";
import { h } from "../dom.ts";

/** The catalogue skin for an id from the state or a claim ("" or unknown: the default). */
export function skinOf(id: string | null | undefined): Skin {
  return findSkin(resolveSkinId(id))!;
}

/**
 * Draws `el` in a skin: its colours as CSS variables, its shape as `data-shape` (style.css
 * turns shapes into clip paths), its id as `data-skin`.
 */
export function paintSkin(el: HTMLElement, id: string | null | undefined): void {
  const skin = skinOf(id);
  el.dataset.skin = skin.id;
  el.dataset.shape = skin.look.shape;
  el.style.setProperty("--skin-fill", skin.look.fill);
  el.style.setProperty("--skin-stroke", skin.look.stroke);
  el.style.setProperty("--skin-glow", skin.look.glow ?? "transparent");
}

/** A small sample of a skin, named for screen readers. */
export function skinSwatch(id: string | null | undefined, size: "small" | "large" = "small"): HTMLElement {
  const swatch = h("span", { class: `swatch swatch-${size}`, role: "img", "aria-label": `${skinOf(id).name} skin` });
  paintSkin(swatch, id);
  return swatch;
}
