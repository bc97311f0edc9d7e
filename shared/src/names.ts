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

/**
 * Names nobody may register or play under, since players would take them for staff: checked
 * through {@link nameSkeleton}, so look-alike spellings (`Adm1n`, `r00t`, `ѕystem`, `mod_erator`,
 * `support7`) are refused too.
 */
export const RESERVED_NAMES = ["admin", "administrator", "root", "system", "moderator", "support", "staff", "sysop", "arena"] as const;

/**
 * Common homoglyphs folded to the Latin letter they imitate (after NFKC and lower-casing):
 * digits and symbols used as letters, and the Cyrillic and Greek letters that look Latin. The
 * 1 / l / i / I family all become "l"; 0 becomes "o".
 */
const CONFUSABLES: Record<string, string> = {
  "0": "o", "1": "l", "i": "l", "!": "l", "|": "l", "3": "e", "4": "a", "@": "a", "5": "s", "$": "s", "7": "t", "8": "b", "9": "g",
  // Cyrillic
  "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x",
  "ѕ": "s", "і": "l", "ї": "l", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ɩ": "l",
  // Greek
  "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "l", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
};
/** Letter pairs that read as one letter. */
const DIGRAPHS: Array<[RegExp, string]> = [[/rn/g, "m"], [/vv/g, "w"], [/cl/g, "d"]];

/**
 * The confusable skeleton of a name (in the spirit of Unicode TS #39): NFKC, case-folded,
 * separators and invisible characters dropped, homoglyphs folded. Two names with one skeleton
 * look alike.
 */
export function nameSkeleton(raw: string): string {
  let folded = "";
  for (const char of raw.normalize("NFKC").toLowerCase().normalize("NFKC")) {
    if (/[\s_\-.\u200b-\u200f\u2060\ufeff]/u.test(char)) continue;
    folded += CONFUSABLES[char] ?? char;
  }
  for (const [pair, letter] of DIGRAPHS) folded = folded.replace(pair, letter);
  return folded;
}

const RESERVED_SKELETONS = new Set(RESERVED_NAMES.map(nameSkeleton));

/** Whether `raw` is, or looks like, a reserved name (a trailing number does not make it another name). */
export function isReservedName(raw: string): boolean {
  const base = raw.normalize("NFKC").replace(/[\d_\-.]+$/u, "");
  return RESERVED_SKELETONS.has(nameSkeleton(raw)) || (base.length > 0 && RESERVED_SKELETONS.has(nameSkeleton(base)));
}

/** A name for a new account or a guest: {@link normalizeName}'s rules, and not a reserved name. */
export function checkNewName(raw: string): NameCheck {
  const check = normalizeName(raw);
  if (check.ok && isReservedName(check.name)) return { ok: false, reason: "that name is reserved" };
  return check;
}

/** A zod schema that validates a name with `check` and yields its normalised form. */
const nameSchemaOf = (check: (raw: string) => NameCheck) =>
  z.string().transform((raw, ctx) => {
    const checked = check(raw);
    if (!checked.ok) {
      ctx.addIssue({ code: "custom", message: checked.reason });
      return z.NEVER;
    }
    return checked.name;
  });

/** zod schema for a username or nickname: validates and yields the normalised form. */
export const nameSchema = nameSchemaOf(normalizeName);

/** zod schema for a new account's username: {@link checkNewName} (reserved names refused). */
export const newNameSchema = nameSchemaOf(checkNewName);

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const passwordSchema = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);
