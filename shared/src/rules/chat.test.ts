import assert from "node:assert/strict";
import { admitChatLine, CHAT_MAX_LENGTH, normalizeChatText } from "./chat.ts";

describe("chat rules", () => {
  it("normalises with NFKC, strips control characters and trims", () => {
    assert.deepEqual(normalizeChatText("  ｈｅｌｌｏ\u0007 ﬁne\u0000 "), { ok: true, text: "hello fine" });
    assert.deepEqual(normalizeChatText("a\nb\r\tc\u009b"), { ok: true, text: "abc" });
    assert.deepEqual(normalizeChatText("gg 🎉"), { ok: true, text: "gg 🎉" });
  });

  it("refuses an empty line, one of only controls or spaces, and one too long after normalisation", () => {
    for (const raw of ["", "   ", "\u0000\u001b\u007f", "\n\t"]) assert.deepEqual(normalizeChatText(raw), { ok: false }, JSON.stringify(raw));
    assert.deepEqual(normalizeChatText("x".repeat(CHAT_MAX_LENGTH)), { ok: true, text: "x".repeat(CHAT_MAX_LENGTH) });
    assert.deepEqual(normalizeChatText("x".repeat(CHAT_MAX_LENGTH + 1)), { ok: false });
    // NFKC can lengthen a line: "㍿" is four characters once normalised.
    assert.deepEqual(normalizeChatText("㍿".repeat(60)), { ok: false });
    // Control characters do not count towards the limit.
    assert.equal(normalizeChatText("x".repeat(CHAT_MAX_LENGTH) + "\u0000".repeat(50)).ok, true);
  });

  it("admits at most max lines per sliding window and says when to retry", () => {
    let window: number[] = [];
    for (const t of [0, 1000, 2000]) {
      const r = admitChatLine(window, t, 3, 10_000);
      assert.equal(r.ok, true);
      window = r.window;
    }
    const refused = admitChatLine(window, 5000, 3, 10_000);
    assert.deepEqual(refused, { ok: false, retryAfterMs: 5000, window: [0, 1000, 2000] });
    assert.equal(admitChatLine(window, 9999, 3, 10_000).ok, false);
    const later = admitChatLine(window, 10_000, 3, 10_000);
    assert.deepEqual(later, { ok: true, window: [1000, 2000, 10_000] });
  });
});
