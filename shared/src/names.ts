import { z } from "zod";

/**
 * Usernames and guest nicknames: NFKC-normalised, lower-cased, then restricted to
 * `[a-z0-9_-]`, 3–20 characters. Restricting the charset after NFKC rules out
 * look-alike unicode (Cyrillic "а", full-width letters are folded to ASCII by NFKC
 * first and accepted only if they become plain ASCII), control and zero-width characters.
 */
export const NAME_MIN = 3;
export const NAME_MAX = 20;
const NAME_PATTERN = /^[a-z0-9_-]+$/;

export type NameCheck = { ok: true; name: string } | { ok: false; reason: string };

export function normalizeName(raw: string): NameCheck {
  if (typeof raw !== "string") return { ok: false, reason: "must be a string" };
  if (raw.length > NAME_MAX * 4) return { ok: false, reason: `at most ${NAME_MAX} characters` };
  const name = raw.normalize("NFKC").trim().toLowerCase();
  if (name.length < NAME_MIN) return { ok: false, reason: `at least ${NAME_MIN} characters` };
  if (name.length > NAME_MAX) return { ok: false, reason: `at most ${NAME_MAX} characters` };
  if (!NAME_PATTERN.test(name)) return { ok: false, reason: "only letters a-z, digits, '_' and '-'" };
  return { ok: true, name };
}

/** zod schema for a username or nickname: validates and yields the normalised form. */
export const nameSchema = z.string().transform((raw, ctx) => {
  const check = normalizeName(raw);
  if (!check.ok) {
    ctx.addIssue({ code: "custom", message: check.reason });
    return z.NEVER;
  }
  return check.name;
});

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const passwordSchema = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);
