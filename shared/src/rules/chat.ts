/**
 * Chat rules: what a chat line may contain and how fast a player may send them. Pure: the
 * clock is a parameter.
 */

/** Longest chat line after normalisation, UTF-16 code units (the audit contract's limit). */
export const CHAT_MAX_LENGTH = 200;

/** Lines a room keeps and sends to whoever joins. */
export const CHAT_HISTORY_LENGTH = 50;

// Control characters (C0, DEL, C1): stripped, so a line cannot reflow or fake other lines.
const CONTROL = /\p{Cc}/gu;

export type ChatTextResult = { ok: true; text: string } | { ok: false };

/**
 * A chat line as stored and shown: NFKC-normalised, control characters removed, surrounding
 * white space trimmed; refused when nothing is left or more than {@link CHAT_MAX_LENGTH} remain.
 */
export function normalizeChatText(raw: string): ChatTextResult {
  const text = raw.normalize("NFKC").replace(CONTROL, "").trim();
  if (text.length === 0 || text.length > CHAT_MAX_LENGTH) return { ok: false };
  return { ok: true, text };
}

/** A player's recent chat send times (server ms), oldest first. */
export type ChatWindow = readonly number[];

export type ChatRateResult = { ok: true; window: number[] } | { ok: false; retryAfterMs: number; window: number[] };

/**
 * Sliding-window rate limit: at most `maxPerWindow` lines within any `windowMs`. A refused line
 * does not count; `retryAfterMs` says when the oldest line in the window leaves it.
 */
export function admitChatLine(window: ChatWindow, nowMs: number, maxPerWindow: number, windowMs: number): ChatRateResult {
  const recent = window.filter((ts) => ts > nowMs - windowMs);
  if (recent.length >= maxPerWindow) return { ok: false, retryAfterMs: recent[0] + windowMs - nowMs, window: recent };
  return { ok: true, window: [...recent, nowMs] };
}
