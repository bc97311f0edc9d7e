import assert from "node:assert/strict";
import { checkNewName, isReservedName, nameSkeleton, normalizeName } from "./names.ts";

describe("normalizeName", () => {
  it("lower-cases and trims", () => assert.deepEqual(normalizeName("  Alice_01 "), { ok: true, name: "alice_01" }));
  it("folds full-width letters through NFKC", () => assert.deepEqual(normalizeName("ＡＬＩＣＥ"), { ok: true, name: "alice" }));
  for (const bad of ["аlice" /* Cyrillic а */, "al\u200bice", "al\u0000ice", "bob'; DROP TABLE users;--", "ab", "a".repeat(21), "<script>", "💀💀💀"]) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.equal(normalizeName(bad).ok, false));
  }
});

describe("reserved names", () => {
  const refused = [
    "admin", "Admin", "ADMIN", "administrator", "root", "system", "moderator", "support",
    "adm1n", "admln", "AdMiN", "4dmin", "r00t", "ro0t", "5ystem", "sy5tem", "m0derator", "supp0rt",
    "ad_min", "ad-min", "a.dmin", "admin1", "admin_2024", "root-", "ＡＤＭＩＮ", "аdmin" /* Cyrillic а */,
    "rооt" /* Cyrillic о */, "ѕystem" /* Cyrillic ѕ */, "mοderator" /* Greek ο */, "suppоrt", "adrnin" /* rn → m */,
    "adm\u200bin",
  ];
  for (const name of refused) {
    it(`refuses ${JSON.stringify(name)} for a new account or guest`, () => {
      assert.equal(isReservedName(name), true, nameSkeleton(name));
      assert.equal(checkNewName(name).ok, false);
    });
  }
  for (const name of ["alice", "rootbeer", "supporter", "badminton", "systematic", "admiral", "moderate", "neo", "player_1"]) {
    it(`accepts ${JSON.stringify(name)}`, () => assert.deepEqual(checkNewName(name), { ok: true, name }));
  }
  it("explains the refusal", () => assert.deepEqual(checkNewName("r00t"), { ok: false, reason: "that name is reserved" }));
  it("folds homoglyphs to one skeleton", () => {
    assert.equal(nameSkeleton("Adm1n"), nameSkeleton("admin"));
    assert.equal(nameSkeleton("рaураl"), nameSkeleton("paypal"));
    assert.notEqual(nameSkeleton("alice"), nameSkeleton("admin"));
  });
});
