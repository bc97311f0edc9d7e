import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Client, type Room } from "@colyseus/sdk";
import { ClientMessage, RoomErrorCode, ServerMessage, TokenType } from "@arena/shared";
import jwt from "jsonwebtoken";
import { PresenceStore } from "../src/stores/presence-store.ts";
import { RedisLeaseStore } from "../src/stores/redis-lease-store.ts";
import {
  bearer, createRoom, guestTicket, join, playerTicket, post, REDIS_URL, refusal, startTestServer, waitFor, type TestServer,
} from "./test-server.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("game room over WebSocket", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ RECONNECT_WINDOW: "2", PRESENCE_TTL: "1", MAX_MESSAGES_PER_SECOND: "10", MAX_MESSAGE_BYTES: "1024" });
  });
  after(() => server.close());

  /** Signs a ticket with the room's real key (what a forger who stole nothing cannot do). */
  async function forge(roomId: string, claims: Record<string, unknown>, key?: import("node:crypto").KeyObject) {
    const roomKey = key ?? (await server.running.stores.keys.get(roomId))!;
    const iat = Math.floor(Date.now() / 1000);
    const base = { sub: "900", nick: "forger", roomId, guest: false, typ: TokenType.Ticket, jti: randomUUID(), iss: server.config.TICKET_ISSUER, aud: server.config.JWT_AUDIENCE, iat, exp: iat + 60 };
    return jwt.sign({ ...base, ...claims }, roomKey, { algorithm: "HS256" });
  }

  /** Two players in one room: `seated` keeps it alive and observes the state. */
  async function roomWithObserver(options: Record<string, unknown> = {}) {
    const host = await server.login();
    const created = await createRoom(server, host.token, options);
    const observer = await join(server.url, created.roomId, await playerTicket(server, created.roomId, host.token));
    return { ...created, host, observer };
  }

  it("seats a player and a guest, visible in the synced state", async () => {
    const { roomId, observer } = await roomWithObserver();
    const guest = await join(server.url, roomId, await guestTicket(server, roomId, "visitor"));
    await waitFor(() => observer.state.players?.size === 2);
    const mine = observer.state.players.get(guest.sessionId);
    assert.equal(mine.nick, "visitor");
    assert.equal(mine.guest, true);
    assert.equal(mine.connected, true);
    assert.equal(observer.state.players.get(observer.sessionId).guest, false);
    await guest.leave();
    await observer.leave();
  });

  describe("refuses with a distinct code", () => {
    it("a ticket for another room", async () => {
      const a = await roomWithObserver();
      const b = await roomWithObserver();
      const guest = await guestTicket(server, a.roomId, "wanderer");
      assert.equal(await refusal(join(server.url, b.roomId, guest)), RoomErrorCode.TICKET_WRONG_ROOM);
      await a.observer.leave();
      await b.observer.leave();
    });

    it("an identity JWT used as a ticket", async () => {
      const { roomId, observer } = await roomWithObserver();
      const { token } = await server.login();
      assert.equal(await refusal(join(server.url, roomId, token)), RoomErrorCode.IDENTITY_TOKEN_AS_TICKET);
      await observer.leave();
    });

    it("an expired ticket", async () => {
      const { roomId, observer } = await roomWithObserver();
      const expired = await forge(roomId, { exp: Math.floor(Date.now() / 1000) - 5 });
      assert.equal(await refusal(join(server.url, roomId, expired)), RoomErrorCode.TICKET_EXPIRED);
      await observer.leave();
    });

    it("a ticket issued in the future, or for longer than tickets are issued for", async () => {
      const { roomId, observer } = await roomWithObserver();
      const now = Math.floor(Date.now() / 1000);
      const ahead = await forge(roomId, { iat: now + 3600, exp: now + 3660 });
      assert.equal(await refusal(join(server.url, roomId, ahead)), RoomErrorCode.TICKET_INVALID);
      const skew = server.config.TOKEN_CLOCK_SKEW;
      const pastSkew = await forge(roomId, { iat: now + skew + 5, exp: now + skew + 65 });
      assert.equal(await refusal(join(server.url, roomId, pastSkew)), RoomErrorCode.TICKET_INVALID, "iat beyond TOKEN_CLOCK_SKEW");
      const longLived = await forge(roomId, { iat: now, exp: now + server.config.TICKET_TTL + 60 });
      assert.equal(await refusal(join(server.url, roomId, longLived)), RoomErrorCode.TICKET_INVALID);
      const wrongIssuer = await forge(roomId, { iss: "someone-else" });
      assert.equal(await refusal(join(server.url, roomId, wrongIssuer)), RoomErrorCode.TICKET_INVALID);
      await observer.leave();
    });

    it("a tampered ticket, a ticket signed with another key, garbage", async () => {
      const { roomId, observer } = await roomWithObserver();
      const ticket = await guestTicket(server, roomId, "tamperer");
      const [header, payload, signature] = ticket.split(".");
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
      const tampered = [header, Buffer.from(JSON.stringify({ ...claims, sub: "1" })).toString("base64url"), signature].join(".");
      assert.equal(await refusal(join(server.url, roomId, tampered)), RoomErrorCode.TICKET_INVALID);
      const otherKey = (await import("node:crypto")).createSecretKey(Buffer.alloc(32, 7));
      assert.equal(await refusal(join(server.url, roomId, await forge(roomId, {}, otherKey))), RoomErrorCode.TICKET_INVALID);
      assert.equal(await refusal(join(server.url, roomId, "not-a-jwt")), RoomErrorCode.TICKET_INVALID);
      assert.equal(await refusal(join(server.url, roomId, jwt.sign({ ...claims, typ: "service" }, "x"))), RoomErrorCode.TICKET_INVALID);
      await observer.leave();
    });

    it("a reused ticket while its holder is connected", async () => {
      const { roomId, observer } = await roomWithObserver();
      const { token } = await server.login();
      const ticket = await playerTicket(server, roomId, token);
      const first = await join(server.url, roomId, ticket);
      assert.equal(await refusal(join(server.url, roomId, ticket)), RoomErrorCode.TICKET_IN_USE);
      await first.leave();
      await observer.leave();
    });

    it("a ticket that already took a seat, after its holder left (single use)", async () => {
      const { roomId, observer } = await roomWithObserver();
      const { token, sub } = await server.login();
      const ticket = await playerTicket(server, roomId, token);
      const first = await join(server.url, roomId, ticket);
      await first.leave();
      await waitFor(async () => (await server.running.stores.presence.holder(sub)) === null);
      assert.equal(await refusal(join(server.url, roomId, ticket)), RoomErrorCode.TICKET_USED);
      const guest = await guestTicket(server, roomId, "oncer");
      await (await join(server.url, roomId, guest)).leave();
      assert.equal(await refusal(join(server.url, roomId, guest)), RoomErrorCode.TICKET_USED, "guest tickets too");
      const again = await join(server.url, roomId, await playerTicket(server, roomId, token));
      await again.leave();
      await observer.leave();
    });

    it("a full room", async () => {
      const { roomId, observer } = await roomWithObserver({ maxPlayers: 2 });
      const [bob, carol] = [await server.login(), await server.login()];
      const bobTicket = await playerTicket(server, roomId, bob.token);
      const carolTicket = await playerTicket(server, roomId, carol.token);
      const seated = await join(server.url, roomId, bobTicket);
      assert.equal(await refusal(join(server.url, roomId, carolTicket)), RoomErrorCode.ROOM_FULL);
      await seated.leave();
      await observer.leave();
    });

    it("an identity already in another room", async () => {
      const a = await roomWithObserver();
      const b = await roomWithObserver();
      const { token } = await server.login();
      const ticketA = await playerTicket(server, a.roomId, token);
      const ticketB = await playerTicket(server, b.roomId, token);
      const inA = await join(server.url, a.roomId, ticketA);
      assert.equal(await refusal(join(server.url, b.roomId, ticketB)), RoomErrorCode.ALREADY_IN_ROOM);
      await inA.leave();
      await a.observer.leave();
      await b.observer.leave();
    });

    it("a ticket whose login session has ended", async () => {
      const { roomId, observer } = await roomWithObserver();
      const { token, sid } = await server.login();
      const ticket = await playerTicket(server, roomId, token);
      await server.sessions.delete(sid);
      assert.equal(await refusal(join(server.url, roomId, ticket)), RoomErrorCode.SESSION_EXPIRED);
      await observer.leave();
    });
  });

  it("lets exactly one of two simultaneous joins of one identity in", async () => {
    const a = await roomWithObserver();
    const b = await roomWithObserver();
    const { token } = await server.login();
    const tickets = [await playerTicket(server, a.roomId, token), await playerTicket(server, a.roomId, token), await playerTicket(server, b.roomId, token)];
    const results = await Promise.allSettled([
      join(server.url, a.roomId, tickets[0]),
      join(server.url, a.roomId, tickets[1]),
      join(server.url, b.roomId, tickets[2]),
    ]);
    const joined = results.filter((r) => r.status === "fulfilled");
    assert.equal(joined.length, 1);
    for (const r of results) {
      if (r.status === "rejected") assert.equal((r.reason as { code: number }).code, RoomErrorCode.ALREADY_IN_ROOM);
    }
    await (joined[0] as PromiseFulfilledResult<Room>).value.leave();
    await a.observer.leave();
    await b.observer.leave();
  });

  it("seats exactly one of several simultaneous joins with one ticket; the others get TICKET_IN_USE", async () => {
    const { roomId, observer } = await roomWithObserver({ maxPlayers: 8 });
    const { token, sub } = await server.login();
    const ticket = await playerTicket(server, roomId, token);
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => join(server.url, roomId, ticket)));
    const joined = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    assert.equal(joined.length, 1, "one seat per ticket");
    for (const r of results) {
      if (r.status === "rejected") assert.equal((r.reason as { code: number }).code, RoomErrorCode.TICKET_IN_USE);
    }
    await waitFor(() => observer.state.players?.size === 2);
    assert.equal(observer.state.players.size, 2, "the observer and one seat for the ticket");
    // The presence belongs to the seat that took it: held until that seat leaves, then released.
    assert.equal((await server.running.stores.presence.holder(sub))?.roomId, roomId);
    await joined[0].leave();
    await waitFor(async () => (await server.running.stores.presence.holder(sub)) === null);
    await observer.leave();
  });

  it("seats one of two simultaneous joins of one identity with two tickets for the same room", async () => {
    const { roomId, observer } = await roomWithObserver({ maxPlayers: 8 });
    const { token, sub } = await server.login();
    const tickets = [await playerTicket(server, roomId, token), await playerTicket(server, roomId, token)];
    const results = await Promise.allSettled(tickets.map((ticket) => join(server.url, roomId, ticket)));
    const joined = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    assert.equal(joined.length, 1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    assert.equal((refused.reason as { code: number }).code, RoomErrorCode.ALREADY_IN_ROOM);
    await waitFor(() => observer.state.players?.size === 2);
    await joined[0].leave();
    await waitFor(async () => (await server.running.stores.presence.holder(sub)) === null);
    await observer.leave();
  });

  describe("presence", () => {
    it("is released when the player leaves", async () => {
      const a = await roomWithObserver();
      const { token } = await server.login();
      const room = await join(server.url, a.roomId, await playerTicket(server, a.roomId, token));
      const b = await roomWithObserver();
      assert.equal((await post(`${server.url}/getTicket/${b.roomId}`, {}, bearer(token))).body.error_code, "ALREADY_IN_ROOM");
      await room.leave();
      await waitFor(async () => (await post(`${server.url}/getTicket/${b.roomId}`, {}, bearer(token))).status === 200);
      const moved = await join(server.url, b.roomId, await playerTicket(server, b.roomId, token));
      await moved.leave();
      await a.observer.leave();
      await b.observer.leave();
    });

    it("stays held while seated (refreshed past its TTL)", async () => {
      const a = await roomWithObserver();
      const { token, sub } = await server.login();
      const room = await join(server.url, a.roomId, await playerTicket(server, a.roomId, token));
      await sleep(server.config.PRESENCE_TTL * 1000 * 2.5);
      assert.equal((await server.running.stores.presence.holder(sub))?.roomId, a.roomId);
      await room.leave();
      await a.observer.leave();
    });

    it("left by a crashed process (its room is gone) does not block a new ticket, and is released", async () => {
      const { sub, token } = await server.login();
      // What a process that died mid-game leaves behind: a presence for a room that no longer exists.
      await server.running.stores.presence.acquire(sub, { roomId: "crashed-room", jti: randomUUID(), seat: "lost" });
      const b = await roomWithObserver();
      assert.equal((await post(`${server.url}/getTicket/${b.roomId}`, {}, bearer(token))).status, 200);
      assert.equal(await server.running.stores.presence.holder(sub), null);
      await b.observer.leave();
    });
  });

  describe("reconnection", () => {
    it("brings a dropped player back to its seat, presence kept meanwhile", async () => {
      const { roomId, observer } = await roomWithObserver();
      const { token } = await server.login();
      const room = await join(server.url, roomId, await playerTicket(server, roomId, token));
      const { sessionId, reconnectionToken } = room;
      room.reconnection.enabled = false;
      const sent: any[] = [];
      observer.onMessage(ServerMessage.ChatMessage, (m: any) => sent.push(m));
      room.connection.close(4100, "network lost");
      await waitFor(() => observer.state.players.get(sessionId)?.connected === false);
      const other = await roomWithObserver();
      assert.equal((await post(`${server.url}/getTicket/${other.roomId}`, {}, bearer(token))).body.error_code, "ALREADY_IN_ROOM");
      observer.send(ClientMessage.Chat, { text: "said while you were away" });
      await waitFor(() => sent.length > 0);
      const back = await new Client(server.url).reconnect(reconnectionToken);
      const histories: any[] = [];
      back.onMessage(ServerMessage.ChatHistory, (h: any) => histories.push(h));
      back.onMessage("*", () => {});
      assert.equal(back.sessionId, sessionId);
      await waitFor(() => observer.state.players.get(sessionId)?.connected === true);
      await waitFor(() => histories.length > 0);
      assert.deepEqual(histories[0].messages.map((m: any) => m.text), ["said while you were away"], "the line missed while dropped comes with the reconnection");
      await back.leave();
      await observer.leave();
      await other.observer.leave();
    });

    it("never lets a reconnection token take over a connected seat", async () => {
      const { roomId, observer } = await roomWithObserver();
      const { token } = await server.login();
      const room = await join(server.url, roomId, await playerTicket(server, roomId, token));
      await waitFor(() => observer.state.players.get(room.sessionId)?.connected === true);
      const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
      let kicked = false;
      void left.then(() => (kicked = true));
      const hijack = await refusal(new Client(server.url).reconnect(room.reconnectionToken));
      assert.equal(hijack, RoomErrorCode.SEAT_CONNECTED);
      const pong = new Promise<{ t: number }>((resolve) => room.onMessage(ServerMessage.Pong, resolve));
      room.send(ClientMessage.Ping, { t: 7 });
      assert.equal((await pong).t, 7, "the connected player still plays");
      assert.equal(kicked, false);
      assert.equal(observer.state.players.get(room.sessionId)?.connected, true);
      await room.leave();
      await observer.leave();
    });

    it("frees the seat and presence once the window has passed", async () => {
      const { roomId, observer } = await roomWithObserver();
      const { token, sub } = await server.login();
      const room = await join(server.url, roomId, await playerTicket(server, roomId, token));
      room.reconnection.enabled = false;
      room.connection.close(4100, "network lost");
      await waitFor(() => !observer.state.players.has(room.sessionId), 10_000);
      await waitFor(async () => (await server.running.stores.presence.holder(sub)) === null);
      await assert.rejects(new Client(server.url).reconnect(room.reconnectionToken));
      await observer.leave();
    });
  });

  describe("message limits", () => {
    async function seated() {
      const { roomId, observer } = await roomWithObserver();
      const room = await join(server.url, roomId, await guestTicket(server, roomId, `g${randomUUID().slice(0, 8)}`));
      const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
      return { room, observer, left };
    }

    it("answers a valid message", async () => {
      const { room, observer } = await seated();
      const pong = new Promise<{ t: number }>((resolve) => room.onMessage(ServerMessage.Pong, resolve));
      room.send(ClientMessage.Ping, { t: 123 });
      assert.equal((await pong).t, 123);
      await room.leave();
      await observer.leave();
    });

    it("disconnects a client sending a malformed message", async () => {
      const { room, observer, left } = await seated();
      room.send(ClientMessage.Ping, { t: "not a number" });
      assert.notEqual(await left, 4000);
      await observer.leave();
    });

    it("disconnects a client sending an oversized message", async () => {
      const { room, observer, left } = await seated();
      room.send(ClientMessage.Ping, { t: 1, pad: "x".repeat(4096) });
      assert.notEqual(await left, 4000);
      await observer.leave();
    });

    it("disconnects a client flooding messages", async () => {
      const { room, observer, left } = await seated();
      for (let i = 0; i < 50; i++) room.send(ClientMessage.Ping, { t: i });
      assert.notEqual(await left, 4000);
      await observer.leave();
    });
  });
});

describe("room lifetime", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ EMPTY_ROOM_TIMEOUT: "1", PRESENCE_TTL: "1" })));
  after(() => server.close());

  it("disposes a room nobody joins, releasing its code and key", async () => {
    const { token } = await server.login();
    const { roomId, code } = await createRoom(server, token);
    assert.ok(await server.running.stores.keys.get(roomId));
    await waitFor(async () => (await fetch(`${server.url}/rooms/by-code/${code}`)).status === 404, 10_000, 100);
    await waitFor(async () => (await server.running.stores.codes.resolve(code)) === null);
    server.running.stores.keys.forget(roomId);
    assert.equal(await server.running.stores.keys.get(roomId), null);
  });

  it("keeps a room while someone is in it", async () => {
    const { token } = await server.login();
    const { roomId, code } = await createRoom(server, token);
    const room = await join(server.url, roomId, await playerTicket(server, roomId, token));
    await sleep(2_000);
    assert.equal((await fetch(`${server.url}/rooms/by-code/${code}`)).status, 200);
    await room.leave();
  });
});

describe("graceful shutdown", () => {
  it("disconnects players and releases their presence at once (not after the TTL)", async () => {
    const server = await startTestServer({ PRESENCE_TTL: "60" });
    const { token, sub } = await server.login();
    const { roomId } = await createRoom(server, token);
    const room = await join(server.url, roomId, await playerTicket(server, roomId, token));
    room.reconnection.enabled = false;
    const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    const peer = REDIS_URL ? new RedisLeaseStore(REDIS_URL, server.config.REDIS_KEY_PREFIX) : undefined;
    const presence = peer ? new PresenceStore(peer, 60_000) : server.running.stores.presence;
    assert.ok(await presence.holder(sub));
    const stillThere = server.running.stores.presence;
    await server.close();
    assert.equal(await left, 4001, "SERVER_SHUTDOWN close code");
    if (peer) {
      assert.equal(await presence.holder(sub), null, "the presence key is gone from Redis");
      await peer.close();
    } else {
      assert.equal(await stillThere.holder(sub), null);
    }
  });
});
