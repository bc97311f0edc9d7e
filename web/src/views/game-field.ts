import { positionAt, type Target } from "@arena/shared/rules/mode-rules";
import { h } from "../dom.ts";
import { clientNow } from "../net/room-clock.ts";
import { paintSkin } from "./skin-look.ts";

/** The field is FIELD_UNITS × FIELD_UNITS logical units (shared FIELD), scaled to the screen. */
const FIELD_UNITS = 1000;
/** Smallest field side, px, however short the window. */
const MIN_FIELD_PX = 200;
/** Space kept under the field, px. */
const FIELD_MARGIN_PX = 12;
/** How long a hit's "+1" or a miss stays on the field, ms. */
const FEEDBACK_MS = 700;

/** The square field with the player's dot, hit feedback and the countdown, sized to fit the window. */
export interface GameField {
  el: HTMLElement;
  dot: HTMLButtonElement;
  /** Shows `target` (null hides the dot), moving since page time `sinceClientMs`. */
  show(target: Target | null, sinceClientMs: number, label: string): void;
  /** The current target's position now, in field units. */
  aim(): { x: number; y: number } | null;
  /** Field units of a pointer event on the field. */
  unitsOf(event: MouseEvent): { x: number; y: number };
  hit(text: string): void;
  miss(text: string): void;
  /** The countdown number over the field ("" hides it). */
  countdown(text: string, startsAt?: number): void;
  hint(text: string | null): void;
  skin(id: string | null | undefined): void;
  /** Sizes the field so all of it is on screen without scrolling. */
  fit(): void;
  dispose(): void;
}

export function gameField(): GameField {
  const dot = h("button", { type: "button", class: "dot", hidden: true, "aria-label": "Hit the dot", "data-testid": "dot" });
  const hintEl = h("p", { class: "field-hint", "aria-hidden": "true" }, "Press Start, then hit the dot.");
  const countdownEl = h("p", { class: "countdown", hidden: true, "aria-live": "assertive", "data-testid": "countdown" });
  const feedback = h("p", { class: "visually-hidden", "aria-live": "polite", "data-testid": "hit-feedback" });
  const el = h("div", { class: "field", "data-testid": "field" }, hintEl, countdownEl, dot, feedback);
  paintSkin(dot, null);
  let target: Target | null = null;
  let since = 0;
  let frame = 0;

  const place = () => {
    if (!target) return;
    const at = positionAt(target, clientNow() - since);
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
  const pop = (kind: "hit" | "miss", text: string) => {
    feedback.textContent = text;
    const at = target ? positionAt(target, clientNow() - since) : { x: FIELD_UNITS / 2, y: FIELD_UNITS / 2 };
    const bubble = h("span", { class: `pop pop-${kind}`, "aria-hidden": "true", style: `left:${at.x / 10}%;top:${at.y / 10}%` }, text);
    el.append(bubble);
    el.classList.remove("flash-hit", "flash-miss");
    void el.offsetWidth; // restarts the flash animation
    el.classList.add(`flash-${kind}`);
    setTimeout(() => bubble.remove(), FEEDBACK_MS);
  };
  const fit = () => {
    el.style.width = "";
    const top = el.getBoundingClientRect().top + window.scrollY;
    const room = window.innerHeight - top - FIELD_MARGIN_PX;
    const width = el.parentElement?.clientWidth ?? window.innerWidth;
    el.style.width = `${Math.max(MIN_FIELD_PX, Math.min(width, room))}px`;
  };
  window.addEventListener("resize", fit);

  return {
    el,
    dot,
    show(next, sinceClientMs, label) {
      target = next;
      since = sinceClientMs;
      dot.hidden = !next;
      hintEl.hidden = Boolean(next);
      cancelAnimationFrame(frame);
      if (next) {
        dot.setAttribute("aria-label", label);
        animate();
      }
    },
    aim: () => (target ? positionAt(target, clientNow() - since) : null),
    unitsOf(event) {
      const rect = el.getBoundingClientRect();
      return {
        x: Math.round(((event.clientX - rect.left) / rect.width) * FIELD_UNITS),
        y: Math.round(((event.clientY - rect.top) / rect.height) * FIELD_UNITS),
      };
    },
    hit: (text) => pop("hit", text),
    miss: (text) => pop("miss", text),
    countdown(text, startsAt) {
      countdownEl.textContent = text;
      countdownEl.hidden = !text;
      if (startsAt) countdownEl.dataset.startsAt = String(startsAt);
    },
    hint(text) {
      hintEl.textContent = text ?? "";
      hintEl.hidden = !text || Boolean(target);
    },
    skin: (id) => paintSkin(dot, id),
    fit,
    dispose() {
      cancelAnimationFrame(frame);
      window.removeEventListener("resize", fit);
    },
  };
}
