import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { textFrame } from "./ws-frame.ts";

// ws's own framer (not in its type definitions): the reference the pre-framed bytes must equal.
const { Sender } = createRequire(import.meta.url)("ws") as { Sender: { frame(data: Buffer, options: object): Buffer[] } };
const wsFrame = (payload: Buffer) => Buffer.concat(Sender.frame(payload, { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false }));

describe("textFrame", () => {
  // Each length encoding (7-bit, 16-bit, 64-bit) and both sides of every boundary.
  for (const length of [0, 1, 125, 126, 127, 65535, 65536, 70_000]) {
    it(`equals ws's Sender.frame for a ${length}-byte payload`, () => {
      const payload = Buffer.alloc(length, "é".charCodeAt(0) % 256);
      assert.deepEqual(textFrame(payload), wsFrame(payload));
    });
  }

  it("keeps the payload bytes after the header, unchanged", () => {
    const payload = Buffer.from(JSON.stringify({ type: "LEADERBOARD_UPDATE", data: { name: "Zoë" } }));
    const frame = textFrame(payload);
    assert.equal(frame[0], 0x81, "FIN + text opcode, no RSV bits");
    assert.equal(frame[1], payload.length, "unmasked, 7-bit length");
    assert.deepEqual(frame.subarray(2), payload);
  });
});
