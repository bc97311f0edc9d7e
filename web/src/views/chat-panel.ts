import type { ChatMessagePayload } from "@arena/shared/match/match-messages";
import { h } from "../dom.ts";
import { describeError, type PlayerError } from "../error-text.ts";

/** Longest chat line the room keeps (after normalisation). */
const CHAT_MAX = 200;

/** The room's chat: the lines so far (history on join, then live), a send form, refusals in words. */
export interface ChatPanel {
  el: HTMLElement;
  /** Replaces the lines (the history a joiner gets). */
  history(lines: ChatMessagePayload[]): void;
  add(line: ChatMessagePayload): void;
  refused(error: PlayerError): void;
}

export function chatPanel(me: () => string, send: (text: string) => void): ChatPanel {
  const log = h("ol", { class: "chat-log", "aria-live": "polite", "aria-label": "Chat lines", "data-testid": "chat-log" });
  const status = h("p", { class: "status", role: "alert", "data-testid": "chat-status" });
  const input = h("input", { id: "chat-text", name: "text", autocomplete: "off", maxlength: CHAT_MAX, required: true });
  const form = h(
    "form",
    { class: "chat-form" },
    h("label", { for: "chat-text", class: "visually-hidden" }, "Message"),
    input,
    h("button", { type: "submit" }, "Send"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    status.textContent = "";
    send(text);
    input.value = "";
  });
  const line = (m: ChatMessagePayload) =>
    h(
      "li",
      { class: m.sessionId === me() ? "mine" : null, "data-testid": "chat-line" },
      h("time", { datetime: new Date(m.sentAt).toISOString() }, new Date(m.sentAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })),
      " ",
      h("b", {}, m.nick, m.guest ? " (guest)" : ""),
      ": ",
      m.text,
    );
  const scroll = () => {
    log.scrollTop = log.scrollHeight;
  };
  const el = h("section", { class: "chat card", "aria-labelledby": "chat-title" }, h("h2", { id: "chat-title" }, "Chat"), log, form, status);
  return {
    el,
    history(lines) {
      log.replaceChildren(...lines.map(line));
      scroll();
    },
    add(m) {
      log.append(line(m));
      scroll();
    },
    refused(error) {
      status.textContent = describeError(error);
    },
  };
}
