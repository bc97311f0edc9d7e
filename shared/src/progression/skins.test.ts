import assert from "node:assert/strict";
import { DEFAULT_SKIN_ID, findSkin, resolveSkinId, skinIdSchema, SKINS, SkinShape } from "./skins.ts";

describe("skin catalogue", () => {
  it("has at least 8 skins with unique, well-formed ids", () => {
    assert.ok(SKINS.length >= 8);
    assert.equal(new Set(SKINS.map((s) => s.id)).size, SKINS.length);
    for (const skin of SKINS) assert.ok(skinIdSchema.safeParse(skin.id).success, skin.id);
  });
  it("has exactly one free skin, the default", () => {
    assert.deepEqual(SKINS.filter((s) => s.price === 0).map((s) => s.id), [DEFAULT_SKIN_ID]);
  });
  it("gives every skin a drawable look", () => {
    const shapes = new Set<string>(Object.values(SkinShape));
    for (const { look, price } of SKINS) {
      assert.ok(shapes.has(look.shape));
      for (const colour of [look.fill, look.stroke, look.glow ?? "#000000"]) assert.match(colour, /^#[0-9a-f]{6}$/);
      assert.ok(Number.isInteger(price) && price >= 0);
    }
  });
  it("finds skins by id and resolves unknown ids to the default", () => {
    assert.equal(findSkin("gold-star")?.name, "Gold Star");
    assert.equal(findSkin("nope"), undefined);
    assert.equal(resolveSkinId("gold-star"), "gold-star");
    for (const id of ["nope", null, undefined, ""]) assert.equal(resolveSkinId(id), DEFAULT_SKIN_ID);
  });
});
