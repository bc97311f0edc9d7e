import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createRoomGameTokens } from "../src/game/room-game-tokens.ts";

describe("room game tokens", () => {
  const sid = randomUUID();
  const claims = { sid, player: "42", kind: "point" as const, n: 17 };

  it("round-trips claims in a compact token", () => {
    const tokens = createRoomGameTokens();
    const token = tokens.issue(claims);
    assert.equal(token.length, 42);
    assert.deepEqual(tokens.open(token), claims);
  });

  it("gives a different token per kind, index, session and player", () => {
    const tokens = createRoomGameTokens();
    const all = [
      tokens.issue(claims),
      tokens.issue({ ...claims, n: 18 }),
      tokens.issue({ ...claims, kind: "start", n: 0 }),
      tokens.issue({ ...claims, sid: randomUUID() }),
    ];
    assert.equal(new Set(all).size, all.length);
  });

  it("refuses every single-bit change", () => {
    const tokens = createRoomGameTokens();
    const raw = Buffer.from(tokens.issue(claims), "base64url");
    for (let bit = 0; bit < raw.length * 8; bit++) {
      const copy = Buffer.from(raw);
      copy[bit >> 3] ^= 1 << (bit & 7);
      assert.equal(tokens.open(copy.toString("base64url")), null, `bit ${bit}`);
    }
  });

  it("refuses a token of another room's key", () => {
    const a = createRoomGameTokens();
    const b = createRoomGameTokens();
    b.issue(claims); // b knows the session too: only the key differs
    assert.equal(b.open(a.issue(claims)), null);
  });

  it("binds the player: the same session under another player does not open", () => {
    const key = Buffer.alloc(32, 7);
    const issuer = createRoomGameTokens(key);
    const token = issuer.issue({ ...claims, player: "mallory" });
    const room = createRoomGameTokens(key);
    room.issue({ ...claims, kind: "start", n: 0 }); // the room knows this session as player 42's
    assert.equal(room.open(token), null);
  });

  it("refuses garbage, wrong lengths and non-canonical encodings", () => {
    const tokens = createRoomGameTokens();
    const token = tokens.issue(claims);
    for (const bad of ["", "x", token.slice(1), `${token}A`, `${token.slice(0, -1)}=`, token.replace(/./, "+"), null as unknown as string]) {
      assert.equal(tokens.open(bad), null, String(bad));
    }
  });

  it("refuses non-uuid session ids and out-of-range indexes at issue time", () => {
    const tokens = createRoomGameTokens();
    assert.throws(() => tokens.issue({ ...claims, sid: "s1" }));
    assert.throws(() => tokens.issue({ ...claims, n: 70_000 }));
  });
});
