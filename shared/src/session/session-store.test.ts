import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { MemorySessionStore } from "./memory-session-store.ts";
import { RedisSessionStore } from "./redis-session-store.ts";
import type { SessionStore } from "./session-store.ts";

const implementations: Array<[string, () => SessionStore]> = [["MemorySessionStore", () => new MemorySessionStore()]];
if (process.env.REDIS_URL) {
  implementations.push(["RedisSessionStore", () => new RedisSessionStore(process.env.REDIS_URL!, `test:${randomUUID()}:session:`)]);
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
  });
}
