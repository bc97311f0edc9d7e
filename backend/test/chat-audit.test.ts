import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Database } from "@arena/db";
import { openTestDatabase } from "@arena/db/test-database";
import { InternalRoute, type ChatMessageBody } from "@arena/shared/contracts/internal-api";
import { createChatRepository } from "../src/chat/chat-repository.ts";
import { createChatService } from "../src/chat/chat-service.ts";
import type { TestBackend } from "./support/test-backend.ts";
import { eventually, newPlayer, serviceKeys, startScoresBackend } from "./scores-support.ts";

const mode = `${process.env.DATABASE_URL ? "postgres" : "pglite"} + ${process.env.REDIS_URL ? "redis" : "memory"}`;

/** A guest's chat line in `room` sent `ageMs` before `at`. */
const line = (room: string, text: string, at: number, ageMs = 0): ChatMessageBody => ({
  message_id: randomUUID(),
  room_code: room,
  sender_user_id: null,
  sender_nick: "neo",
  guest: true,
  text,
  sent_at: new Date(at - ageMs).toISOString(),
});

describe(`chat audit trail (${mode})`, function () {
  let backend: TestBackend;
  let admin: { id: string; token: string };
  const keys = serviceKeys();
  before(async () => {
    const adminName = `chief${Date.now().toString(36).slice(-5)}`;
    backend = await startScoresBackend({ ADMIN_USERNAMES: adminName, SERVICE_PUBLIC_KEY: keys.publicPem });
    const { body } = await backend.login(adminName);
    admin = { id: String(body.user.id), token: body.access_token };
  });
  after(async () => backend?.close());

  /** `token` null sends no Authorization header. */
  const post = (messages: unknown, token: string | null = keys.sign()) => backend.api("POST", InternalRoute.ChatMessages, { token: token ?? undefined, body: { messages } });
  const read = (code: string, token: string | undefined, query = "") => backend.api("GET", `/api/admin/rooms/${code}/chat${query}`, { token });
  const count = (room: string) => backend.db.prisma.chatMessage.count({ where: { roomCode: room } });

  it("stores a batch once per message_id: a replayed, overlapping or self-repeating batch adds only new lines", async () => {
    const p = await newPlayer(backend);
    const batch = [line("IDEMA", "hello", Date.now()), { ...line("IDEMA", "hi guest", Date.now()), sender_user_id: p.id, sender_nick: p.username, guest: false }];
    assert.deepEqual((await post(batch)).body, { success: true, stored: 2, replayed: 0 });
    assert.deepEqual((await post(batch)).body, { success: true, stored: 0, replayed: 2 });
    const extra = line("IDEMA", "third", Date.now());
    assert.deepEqual((await post([batch[0], extra, extra])).body, { success: true, stored: 1, replayed: 2 });
    assert.equal(await count("IDEMA"), 3);
    const row = await backend.db.prisma.chatMessage.findUniqueOrThrow({ where: { messageId: batch[1].message_id } });
    assert.deepEqual([row.senderUserId, row.senderNick, row.guest, row.text, row.sentAt.toISOString()], [Number(p.id), p.username, false, "hi guest", batch[1].sent_at]);
  });

  it("stores concurrent deliveries of one batch once", async () => {
    const batch = Array.from({ length: 5 }, (_, i) => line("IDEMB", `line ${i}`, Date.now()));
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(batch)));
    assert.deepEqual(answers.map((r) => r.status), Array(6).fill(200));
    assert.equal(answers.reduce((sum, r) => sum + r.body.stored, 0), 5);
    assert.equal(await count("IDEMB"), 5);
  });

  it("answers 400 VALIDATION_FAILED for bad batches and 401 for bad credentials, storing nothing", async () => {
    const good = line("BADIN", "ok", Date.now());
    for (const [why, messages] of [
      ["empty batch", []],
      ["too long", [{ ...good, text: "x".repeat(201) }]],
      ["empty text", [{ ...good, text: "" }]],
      ["bad id", [{ ...good, message_id: "1" }]],
      ["guest with a user id", [{ ...good, sender_user_id: "1" }]],
      ["account without a user id", [{ ...good, guest: false }]],
      ["over 100 lines", Array.from({ length: 101 }, () => line("BADIN", "x", Date.now()))],
    ] as const) {
      const res = await post(messages);
      assert.deepEqual([res.status, res.body.error_code], [400, "VALIDATION_FAILED"], why);
    }
    for (const token of [null, admin.token, serviceKeys().sign()]) {
      const res = await post([good], token);
      assert.deepEqual([res.status, res.body.error_code], [401, "UNAUTHORIZED"]);
    }
    assert.equal(await count("BADIN"), 0);
  });

  it("GET /api/admin/rooms/:code/chat is for admins only", async () => {
    const p = await newPlayer(backend);
    assert.equal((await read("ANYRM", undefined)).status, 401);
    const res = await read("ANYRM", p.token);
    assert.deepEqual([res.status, res.body.error_code], [403, "FORBIDDEN"]);
    assert.equal((await read("ANYRM", admin.token)).status, 200);
  });

  it("shows an admin one room's chat newest first, page by page, and audits the read", async () => {
    const t0 = Date.now();
    const lines = Array.from({ length: 5 }, (_, i) => line("READR", `line ${i}`, t0, (5 - i) * 1000));
    const tied = [line("READR", "tie a", t0), line("READR", "tie b", t0)];
    await post([...lines, ...tied, line("OTHER", "elsewhere", t0)]);
    const expected = [...tied.sort((a, b) => (a.message_id < b.message_id ? 1 : -1)), ...lines.reverse()].map((l) => l.text);

    const first = await read("readr", admin.token, "?limit=3");
    assert.equal(first.status, 200);
    assert.equal(first.body.room_code, "READR");
    const texts: string[] = first.body.messages.map((m: any) => m.text);
    let cursor = first.body.next_before;
    while (cursor) {
      const page = await read("READR", admin.token, `?limit=3&before=${cursor}`);
      texts.push(...page.body.messages.map((m: any) => m.text));
      cursor = page.body.next_before;
    }
    assert.deepEqual(texts, expected);
    const [newest] = first.body.messages;
    assert.deepEqual(Object.keys(newest).sort(), ["guest", "message_id", "room_code", "sender_nick", "sender_user_id", "sent_at", "stored_at", "text"]);
    assert.equal(newest.sender_user_id, null);

    const audit = await eventually(() =>
      backend.db.prisma.auditLog.findFirst({ where: { event: "admin.chat_read", userId: Number(admin.id), data: { path: ["room_code"], equals: "READR" } } }),
    );
    assert.equal((audit.data as { lines: number }).lines, 3);
    for (const query of ["?limit=0", "?limit=201", "?before=zz"]) assert.equal((await read("READR", admin.token, query)).status, 400, query);
    assert.equal((await read("not-a-code", admin.token)).status, 400);
  });
});

describe(`chat retention (${mode})`, function () {
  describe("the purge, on an injected clock", () => {
    let db: Database;
    before(async () => (db = await openTestDatabase()));
    after(() => db.close());

    it("deletes, in batches, exactly the lines sent more than CHAT_RETENTION ago", async () => {
      let now = Date.parse("2030-06-01T12:00:00Z");
      const hour = 3_600_000;
      const chat = createChatService({ chat: createChatRepository(db), now: () => now, retentionMs: 24 * hour, purgeBatch: 2 });
      const old = Array.from({ length: 5 }, (_, i) => line("PURGE", `old ${i}`, now, 25 * hour + i));
      const edge = line("PURGE", "just inside", now, 24 * hour - 1);
      const fresh = line("PURGE", "fresh", now);
      await chat.store([...old, edge, fresh]);

      assert.equal(await chat.purgeExpired(), 5);
      const left = await db.prisma.chatMessage.findMany({ where: { roomCode: "PURGE" }, orderBy: { sentAt: "asc" } });
      assert.deepEqual(left.map((m) => m.text), ["just inside", "fresh"]);
      assert.equal(await chat.purgeExpired(), 0);

      now += 2;
      assert.equal(await chat.purgeExpired(), 1);
      now += 24 * hour;
      assert.equal(await chat.purgeExpired(), 1);
      assert.equal(await db.prisma.chatMessage.count({ where: { roomCode: "PURGE" } }), 0);
    });
  });

  describe("the backend's sweeper", () => {
    let backend: TestBackend;
    let offset = 0;
    const keys = serviceKeys();
    before(async () => {
      backend = await startScoresBackend({ SERVICE_PUBLIC_KEY: keys.publicPem, CHAT_RETENTION: "3600", CHAT_SWEEP_INTERVAL: "1" }, () => Date.now() + offset);
    });
    after(async () => backend?.close());

    it("purges chat older than CHAT_RETENTION on its interval once the clock moves past it", async () => {
      const at = Date.now();
      const batch = [line("SWEEP", "stays a while", at), line("SWEEP", "older", at, 30 * 60_000)];
      assert.equal((await backend.api("POST", InternalRoute.ChatMessages, { token: keys.sign(), body: { messages: batch } })).status, 200);
      const left = () => backend.db.prisma.chatMessage.findMany({ where: { roomCode: "SWEEP" } });
      assert.equal((await left()).length, 2);

      offset = 45 * 60_000; // the older line is now 75 min old, the other 45 min
      await eventually(async () => (await left()).length === 1);
      assert.deepEqual((await left()).map((m) => m.text), ["stays a while"]);
      offset = 2 * 3_600_000;
      await eventually(async () => (await left()).length === 0);
    });
  });
});
