import { z } from "zod";
import { AppError } from "@arena/shared";

/**
 * Keyset pagination over lists ordered newest first by (time DESC, id DESC). The cursor is
 * the last row's key, base64url of "<ISO time>|<uuid>"; clients pass it back unchanged as
 * `?before=` and treat it as opaque.
 */
export interface PageKey {
  /** The row's time (ended_at, sent_at…). */
  at: Date;
  /** The row's uuid: breaks ties between rows of the same millisecond. */
  id: string;
}

const keySchema = z.object({ at: z.iso.datetime({ offset: true }), id: z.uuid() });

/** The cursor of a page's last row. */
export function encodePageCursor(key: PageKey): string {
  return Buffer.from(`${key.at.toISOString()}|${key.id}`, "utf8").toString("base64url");
}

/** The key a cursor stands for; VALIDATION_FAILED for anything this API did not hand out. */
export function decodePageCursor(cursor: string): PageKey {
  const [at, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const parsed = keySchema.safeParse({ at, id });
  if (!parsed.success || rest.length > 0) throw new AppError("VALIDATION_FAILED", "before: not a cursor from this API.");
  return { at: new Date(parsed.data.at), id: parsed.data.id };
}

/** `?before=<cursor>&limit=` with a default and a maximum page size. */
export function pageQuerySchema(defaultLimit: number, maxLimit: number) {
  return z.object({
    before: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, "a cursor from next_before").optional().describe("next_before of the previous page"),
    limit: z.coerce.number().int().min(1).max(maxLimit).default(defaultLimit).describe(`page size, 1–${maxLimit}`),
  });
}

/** One page of rows and the cursor of the next one (null on the last page). */
export interface Page<T> {
  /** The rows, newest first. */
  items: T[];
  /** Pass as `?before=` for the next page; null when there is none. */
  next_before: string | null;
}

/**
 * Makes a page from up to `limit + 1` rows fetched newest first: the extra row only tells
 * that another page exists.
 */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => PageKey): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next_before: rows.length > limit && last ? encodePageCursor(keyOf(last)) : null };
}
