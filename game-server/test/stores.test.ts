import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { GuestNameStore } from "../src/stores/guest-name-store.ts";
import type { LeaseStore } from "../src/stores/lease-store.ts";
import { MemoryLeaseStore } from "../src/stores/memory-lease-store.ts";
import { PresenceStore } from "../src/stores/presence-store.ts";
import { RedisLeaseStore } from "../src/stores/redis-lease-store.ts";
import { CODE_ALPHABET, drawRoomCode, parseRoomCode, RoomCodeStore } from "../src/stores/room-code-store.ts";
import { RoomKeyStore } from "../src/stores/room-key-store.ts";
import { REDIS_URL } from "./test-server.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each implementation plus a way to let `ms` pass for it (a fake clock in memory, real time in Redis). */
interface Impl {
  name: string;
  make(prefix: string): LeaseStore;
  /** Another handle on the same data (a second process). */
  peer(prefix: string, first: LeaseStore): LeaseStore;
  pass(ms: number): Promise<void>;
}

let fakeNow = 1_000_000;
const implementations: Impl[] = [
  {
    name: "MemoryLeaseStore",
    make: () => new MemoryLeaseStore(() => fakeNow),
    peer: (_prefix, first) => first,
    pass: async (ms) => void (fakeNow += ms),
  },
];
if (REDIS_URL) {
  implementations.push({
    name: "RedisLeaseStore",
    make: (prefix) => new RedisLeaseStore(REDIS_URL!, prefix),
    peer: (prefix) => new RedisLeaseStore(REDIS_URL!, prefix),
    pass: async (ms) => void (await sleep(ms + 50)),
  });
}

for (const impl of implementations) {
  describe(impl.name, () => {
    let prefix: string;
    let store: LeaseStore;
    let peer: LeaseStore;
    beforeEach(() => {
      prefix = `test:${randomUUID()}:`;
      store = impl.make(prefix);
      peer = impl.peer(prefix, store);
    });
    afterEach(async () => {
      await store.close();
      if (peer !== store) await peer.close();
    });

    it("acquires a free key once; a second holder is refused, even from another process", async () => {
      assert.equal(await store.acquire("k", "a", 10_000), true);
      assert.equal(await peer.acquire("k", "b", 10_000), false);
      assert.equal(await peer.get("k"), "a");
    });

    it("refreshes and releases only for the holder", async () => {
      await store.acquire("k", "a", 10_000);
      assert.equal(await peer.refresh([["k", "b"]], 10_000), 0);
      assert.equal(await peer.release("k", "b"), false);
      assert.equal(await peer.refresh([["k", "a"], ["missing", "a"]], 10_000), 1);
      assert.equal(await peer.release("k", "a"), true);
      assert.equal(await store.get("k"), null);
    });

    it("expires a lease nobody refreshes (a crashed holder)", async () => {
      await store.acquire("k", "a", 150);
      await impl.pass(200);
      assert.equal(await store.get("k"), null);
      assert.equal(await peer.acquire("k", "b", 10_000), true);
    });

    it("keeps a refreshed lease past its first TTL", async () => {
      await store.acquire("k", "a", 300);
      await impl.pass(150);
      await store.refresh([["k", "a"]], 300);
      await impl.pass(200);
      assert.equal(await store.get("k"), "a");
    });

    describe("PresenceStore", () => {
      it("is single: the second holder learns who holds it", async () => {
        const a = new PresenceStore(store, 10_000);
        const b = new PresenceStore(peer, 10_000);
        const first = { roomId: "r1", jti: "t1", seat: "s1" };
        assert.equal(await a.acquire("42", first), null);
        assert.deepEqual(await b.acquire("42", { roomId: "r2", jti: "t2", seat: "s2" }), first);
        assert.deepEqual(await a.acquire("42", first), first, "taken once: a second seat of the same holder is refused");
        assert.deepEqual(await b.acquire("42", { ...first, seat: "s3" }), first, "another seat of the same room and ticket is refused");
        assert.deepEqual(await b.holder("42"), first);
        await b.release("42", { roomId: "r2", jti: "t2", seat: "s2" });
        await b.release("42", { ...first, seat: "s3" });
        assert.ok(await a.holder("42"), "a non-holder (even with the same ticket) cannot release");
        await a.release("42", first);
        assert.equal(await b.holder("42"), null);
      });

      it("spends a ticket with the seat it takes, in one step: a spent ticket seats nobody again", async () => {
        const a = new PresenceStore(store, 10_000);
        const b = new PresenceStore(peer, 10_000);
        const seat = { roomId: "r1", jti: "t1", seat: "s1" };
        const racing = await Promise.all([a.seat("42", seat, 10_000), b.seat("42", { ...seat, seat: "s2" }, 10_000)]);
        assert.equal(racing.filter((r) => r.seated).length, 1, "one of two racing joins of one ticket is seated");
        assert.deepEqual(racing.find((r) => !r.seated), { seated: false, holder: racing[0].seated ? seat : { ...seat, seat: "s2" } });
        assert.equal(await b.spent("t1"), true);
        await a.release("42", seat);
        await b.release("42", { ...seat, seat: "s2" });
        assert.deepEqual(await b.seat("42", { ...seat, seat: "s3" }, 10_000), { seated: false, spent: true });
        assert.equal(await b.holder("42"), null, "a refused seat writes nothing");
        assert.deepEqual(await b.seat("42", { roomId: "r1", jti: "t2", seat: "s4" }, 10_000), { seated: true }, "a new ticket seats");
      });

      it("forgets a spent ticket once it has expired", async () => {
        const a = new PresenceStore(store, 10_000);
        await a.seat("42", { roomId: "r1", jti: "t1", seat: "s1" }, 150);
        await impl.pass(200);
        assert.equal(await a.spent("t1"), false);
      });

      it("frees a crashed holder's presence after the TTL", async () => {
        const a = new PresenceStore(store, 150);
        await a.acquire("42", { roomId: "r1", jti: "t1", seat: "s1" });
        await impl.pass(200);
        assert.equal(await new PresenceStore(peer, 10_000).acquire("42", { roomId: "r2", jti: "t2", seat: "s2" }), null);
      });
    });

    describe("RoomKeyStore", () => {
      it("shares a room's key with other processes until it is deleted", async () => {
        const a = new RoomKeyStore(store, 10_000);
        const b = new RoomKeyStore(peer, 10_000);
        const key = await a.create("room1");
        assert.equal(key.symmetricKeySize, 32);
        assert.deepEqual((await b.get("room1"))!.export(), key.export());
        await a.delete("room1");
        b.forget("room1");
        assert.equal(await b.get("room1"), null);
      });

      it("gives every room its own key", async () => {
        const keys = new RoomKeyStore(store, 10_000);
        const one = await keys.create("a");
        const two = await keys.create("b");
        assert.notDeepEqual(one.export(), two.export());
      });
    });

    describe("RoomCodeStore", () => {
      it("draws again when a code is taken by a live room", async () => {
        const draws = ["AAAAAA", "AAAAAA", "BBBBBB"];
        const codes = new RoomCodeStore(store, 10_000, () => draws.shift()!);
        assert.equal(await codes.reserve("room1"), "AAAAAA");
        assert.equal(await codes.reserve("room2"), "BBBBBB");
        assert.equal(await new RoomCodeStore(peer, 10_000).resolve("BBBBBB"), "room2");
        await codes.release("AAAAAA", "room2");
        assert.equal(await codes.resolve("AAAAAA"), "room1", "only its room releases a code");
        await codes.release("AAAAAA", "room1");
        assert.equal(await codes.resolve("AAAAAA"), null);
      });
    });

    describe("GuestNameStore", () => {
      it("keeps a nickname unique within a room, not across rooms", async () => {
        const names = new GuestNameStore(store);
        assert.equal(await names.reserve("r1", "bob", "guest:bob#1", 10_000), true);
        assert.equal(await new GuestNameStore(peer).reserve("r1", "bob", "guest:bob#2", 10_000), false);
        assert.equal(await names.reserve("r2", "bob", "guest:bob#3", 10_000), true);
        await names.release("r1", "bob", "guest:bob#1");
        assert.equal(await names.reserve("r1", "bob", "guest:bob#4", 10_000), true);
      });
    });
  });
}

describe("MemoryLeaseStore memory", () => {
  it("drops expired leases nobody reads again (spent tickets' markers), keeping live ones", async () => {
    let now = 0;
    const store = new MemoryLeaseStore(() => now);
    await store.put("live", "v", 1_000_000);
    for (let i = 0; i < 5000; i++) {
      await store.acquireOnce(`presence:${i}`, "seat", 100, `spent:${i}`, 100);
      await store.release(`presence:${i}`, "seat");
      now += 1;
    }
    assert.ok(store.size < 2500, `${store.size} leases kept for ~100 live ones`);
    assert.equal(await store.get("live"), "v");
    assert.equal(await store.get("spent:4999"), "1", "a marker not yet expired is kept");
  });
});

describe("room codes", () => {
  it("use only the readable alphabet (no 0, O, 1, I, L)", () => {
    for (const ch of "01OIL") assert.ok(!CODE_ALPHABET.includes(ch));
    for (let i = 0; i < 200; i++) assert.match(drawRoomCode(), /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
  });

  it("parse user input leniently but refuse look-alikes", () => {
    assert.equal(parseRoomCode(" ab2c3d "), "AB2C3D");
    assert.equal(parseRoomCode("AB0C3D"), null);
    assert.equal(parseRoomCode("ABC"), null);
  });
});
