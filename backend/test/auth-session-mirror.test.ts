// The SessionStore is a mirror of the database's live sessions. When it loses them (Redis
// restarted empty, keys deleted) a live session must work again everywhere, and a logged-out
// one must stay refused.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import jwt from "jsonwebtoken";
import { MemorySessionStore, type SessionStore } from "@arena/shared";
import { RedisSessionStore } from "@arena/shared/session/redis-session-store";
import { startTestBackend, storageMode, type TestBackend } from "./support/test-backend.ts";

const sidOf = (token: string) => (jwt.decode(token) as { sid: string }).sid;
const REDIS_URL = process.env.REDIS_URL;

describe(`auth: the session mirror comes back from the database (${storageMode})`, () => {
  let t: TestBackend;
  let store: SessionStore;
  let redis: Redis | undefined;
  const prefix = `test:${randomUUID()}:session:`;
  /** Empties the mirror as a Redis restarted without its data would. */
  let lose: () => Promise<void>;

  before(async () => {
    if (REDIS_URL) {
      redis = new Redis(REDIS_URL);
      store = new RedisSessionStore(REDIS_URL, prefix);
      lose = async () => {
        const keys = await redis!.keys(`${prefix}*`);
        if (keys.length) await redis!.del(...keys);
      };
    } else {
      const memory = new MemorySessionStore();
      store = memory;
      lose = () => memory.close();
    }
    t = await startTestBackend({ sessions: store, env: { SESSION_MIRROR_CHECK_INTERVAL: "100" } });
  });
  after(async () => {
    await t.close();
    await store.close();
    redis?.disconnect();
  });

  it("a live session is accepted again at once, and put back into the mirror", async () => {
    const { body: login } = await t.login("mirror_live");
    const sid = sidOf(login.access_token);
    await lose();
    assert.equal(await store.get(sid), null, "the mirror lost it");
    assert.equal((await t.api("POST", "/auth/heartbeat", { token: login.access_token })).status, 200);
    assert.equal((await store.get(sid))?.userId, String(login.user.id), "read through and mirrored again");
  });

  it("a logged-out session stays refused after the mirror is lost", async () => {
    const { body: login } = await t.login("mirror_out");
    assert.equal((await t.api("POST", "/auth/logout", { token: login.access_token })).status, 200);
    await lose();
    const refused = await t.api("POST", "/auth/heartbeat", { token: login.access_token });
    assert.equal(refused.status, 401);
    assert.equal(await store.get(sidOf(login.access_token)), null);
  });

  (REDIS_URL ? it : it.skip)("refills the whole mirror by itself when Redis loses it (no request needed), but not ended sessions", async () => {
    const { body: a } = await t.login("mirror_a");
    const { body: b } = await t.login("mirror_b");
    const { body: gone } = await t.login("mirror_gone");
    assert.equal((await t.api("POST", "/auth/logout", { token: gone.access_token })).status, 200);
    await lose();
    const sids = [a, b].map((l) => sidOf(l.access_token));
    for (let i = 0; i < 100 && (await Promise.all(sids.map((sid) => store.get(sid)))).some((r) => !r); i++) await new Promise((r) => setTimeout(r, 50));
    for (const sid of sids) assert.ok(await store.get(sid), `${sid} restored`);
    assert.equal(await store.get(sidOf(gone.access_token)), null);
  });
});
