import assert from "node:assert/strict";
import { normalizeName } from "./names.ts";

describe("normalizeName", () => {
  it("lower-cases and trims", () => assert.deepEqual(normalizeName("  Alice_01 "), { ok: true, name: "alice_01" }));
  it("folds full-width letters through NFKC", () => assert.deepEqual(normalizeName("ＡＬＩＣＥ"), { ok: true, name: "alice" }));
  for (const bad of ["аlice" /* Cyrillic а */, "al\u200bice", "al\u0000ice", "bob'; DROP TABLE users;--", "ab", "a".repeat(21), "<script>", "💀💀💀"]) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.equal(normalizeName(bad).ok, false));
  }
});
