import assert from "node:assert/strict";
import { flatRandomUUID } from "./flat-uuid.ts";

describe("flatRandomUUID", () => {
  it("answers distinct version 4 UUIDs", () => {
    const ids = new Set(Array.from({ length: 1000 }, flatRandomUUID));
    assert.equal(ids.size, 1000);
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
