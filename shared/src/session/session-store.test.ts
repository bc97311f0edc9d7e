import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { MemorySessionStore } from "./memory-session-store.ts";
import { RedisSessionStore } from "./redis-session-store.ts";
import type { SessionStore } from "./session-store.ts";

const implementations: Array<[string, (now?: () => number) => SessionStore]> = [["MemorySessionStore", (now) => new MemorySessionStore(now)]];
if (process.env.REDIS_URL) {
  implementations.push(["RedisSessionStore", (now) => new RedisSessionStore(process.env.REDIS_URL!, `test:${randomUUID()}:session:`, now)]);
}

for (const [name, make] of implementations) {
  describe(name, () => {
    let store: SessionStore;
    beforeEach(() => (store = make()));
    afterEach(() => store.close());

    it("returns a stored session", async () => {
      const expiresAt = Date.now() + 60_000;
      await store.put("s1", { userId: "42", expiresAt });
      assert.deepEqual(await store.get("s1"), { userId: "42", expiresAt });
    });

    it("answers null for an unknown session", async () => {
      assert.equal(await store.get("nope"), null);
    });

    it("forgets a deleted session", async () => {
      await store.put("s2", { userId: "7", expiresAt: Date.now() + 60_000 });
      await store.delete("s2");
      assert.equal(await store.get("s2"), null);
    });

    it("expires a session at its expiry", async () => {
      await store.put("s3", { userId: "7", expiresAt: Date.now() + 150 });
      assert.ok(await store.get("s3"));
      await new Promise((r) => setTimeout(r, 250));
      assert.equal(await store.get("s3"), null);
    });

    it("extends a session when put again", async () => {
      await store.put("s4", { userId: "7", expiresAt: Date.now() + 150 });
      await store.put("s4", { userId: "7", expiresAt: Date.now() + 60_000 });
      await new Promise((r) => setTimeout(r, 250));
      assert.equal((await store.get("s4"))?.userId, "7");
    });

    it("claims a restore once on a fresh store, then not until the mirror is lost", async () => {
      assert.equal(await store.claimRestore(), true);
      assert.equal(await store.claimRestore(), false);
    });

    it("restores absent sessions but never over a live one or a deleted one", async () => {
      const expiresAt = Date.now() + 60_000;
      await store.put("live", { userId: "1", expiresAt });
      await store.put("ended", { userId: "2", expiresAt });
      await store.delete("ended");
      await store.restore([
        { sid: "live", record: { userId: "1", expiresAt: expiresAt + 5000 } },
        { sid: "ended", record: { userId: "2", expiresAt } },
        { sid: "lost", record: { userId: "3", expiresAt } },
        { sid: "stale", record: { userId: "4", expiresAt: Date.now() - 1 } },
      ]);
      assert.deepEqual(await store.get("live"), { userId: "1", expiresAt }, "the live entry is kept as it was");
      assert.equal(await store.get("ended"), null, "a logged-out session is not brought back");
      assert.deepEqual(await store.get("lost"), { userId: "3", expiresAt });
      assert.equal(await store.get("stale"), null);
    });

    for (const shift of [-40 * 86_400_000, 400 * 86_400_000]) {
      it(`judges expiry by the injected clock, not the host's (clock ${shift > 0 ? "ahead" : "behind"})`, async () => {
        let at = Date.now() + shift;
        const shifted = make(() => at);
        try {
          await shifted.put("s5", { userId: "9", expiresAt: at + 60_000 });
          assert.equal((await shifted.get("s5"))?.userId, "9", "alive on the injected clock");
          at += 61_000;
          assert.equal(await shifted.get("s5"), null, "dead once the injected clock passes its expiry");
          await shifted.put("s6", { userId: "9", expiresAt: at - 1 });
          assert.equal(await shifted.get("s6"), null, "a put already expired is not stored");
        } finally {
          await shifted.close();
        }
      });
    }
  });
}
