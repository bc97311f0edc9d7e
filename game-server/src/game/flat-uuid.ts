import { randomUUID } from "node:crypto";

/**
 * `crypto.randomUUID()` as one flat string. Node builds a UUID by joining 20 pieces, and V8 keeps
 * such a string as a rope of them (~490 B on the heap instead of ~70 B) until something flattens
 * it; ids held for a room's life (a seat's game session) are copied flat once instead.
 */
export function flatRandomUUID(): string {
  return Buffer.from(randomUUID(), "latin1").toString("latin1");
}
