import assert from "node:assert/strict";
import jwt from "jsonwebtoken";
import { bearer, createRoom, get, guestTicket, join, playerTicket, post, startTestServer, type TestServer } from "./test-server.ts";

describe("room HTTP API", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ ADMIN_PASSWORD: "monitor-pass" })));
  after(() => server.close());

  describe("POST /rooms", () => {
    it("requires a logged-in player", async () => {
      const res = await post(`${server.url}/rooms`, { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 2 });
      assert.equal(res.status, 401);
      assert.deepEqual(Object.keys(res.body).sort(), ["error_code", "message", "success"]);
      assert.equal(res.body.error_code, "UNAUTHORIZED");
    });

    it("validates the options", async () => {
      const { token } = await server.login();
      for (const body of [{ mode: "chess", ranked: false, allowGuests: true, maxPlayers: 2 }, { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 999 }, {}]) {
        const res = await post(`${server.url}/rooms`, body, bearer(token));
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.error_code, "VALIDATION_FAILED");
      }
    });

    it("answers a room id and a unique readable code", async () => {
      const { token } = await server.login();
      const codes = new Set<string>();
      for (let i = 0; i < 5; i++) codes.add((await createRoom(server, token)).code);
      assert.equal(codes.size, 5);
      for (const code of codes) assert.match(code, /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
    });
  });

  describe("GET /rooms/by-code and GET /rooms", () => {
    it("resolves a code (any case) to its room", async () => {
      const { token } = await server.login();
      const { roomId, code } = await createRoom(server, token, { mode: "shaky", maxPlayers: 3 });
      const res = await get(`${server.url}/rooms/by-code/${code.toLowerCase()}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.roomId, roomId);
      assert.equal(res.body.mode, "shaky");
      assert.equal(res.body.maxPlayers, 3);
      const missing = await get(`${server.url}/rooms/by-code/ZZZZZZ`);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error_code, "ROOM_NOT_FOUND");
    });

    it("lists joinable public rooms, not private or full ones", async () => {
      const { token } = await server.login();
      const open = await createRoom(server, token);
      const hidden = await createRoom(server, token, { private: true });
      const full = await createRoom(server, token, { maxPlayers: 1 });
      const sitter = await server.login();
      const seated = await join(server.url, full.roomId, await playerTicket(server, full.roomId, sitter.token));
      const res = await get(`${server.url}/rooms`);
      const ids = res.body.rooms.map((r: { roomId: string }) => r.roomId);
      assert.ok(ids.includes(open.roomId));
      assert.ok(!ids.includes(hidden.roomId));
      assert.ok(!ids.includes(full.roomId));
      await seated.leave();
    });
  });

  describe("POST /getTicket/:roomId", () => {
    it("issues a player ticket bound to the room, HS256, typ ticket, at most 30 minutes", async () => {
      const { token, sub, sid } = await server.login("501", "trinity");
      const { roomId } = await createRoom(server, token);
      const ticket = await playerTicket(server, roomId, token);
      const decoded = jwt.decode(ticket, { complete: true })!;
      const claims = decoded.payload as Record<string, unknown>;
      assert.equal(decoded.header.alg, "HS256");
      assert.equal(claims.typ, "ticket");
      assert.equal(claims.roomId, roomId);
      assert.equal(claims.sub, sub);
      assert.equal(claims.sid, sid);
      assert.equal(claims.nick, "trinity");
      assert.equal(claims.guest, false);
      assert.ok(typeof claims.jti === "string");
      assert.ok((claims.exp as number) - (claims.iat as number) <= 1800);
    });

    it("accepts the tokenJwt header older clients send", async () => {
      const { token } = await server.login();
      const { roomId } = await createRoom(server, token);
      const res = await post(`${server.url}/getTicket/${roomId}`, {}, { tokenJwt: token });
      assert.equal(res.status, 200);
      assert.equal(res.body.guest, false);
    });

    it("refuses a bad identity token and a logged-out session", async () => {
      const { token, sid } = await server.login();
      const { roomId } = await createRoom(server, token);
      const bad = await post(`${server.url}/getTicket/${roomId}`, {}, bearer(token.slice(0, -4) + "AAAA"));
      assert.equal(bad.status, 401);
      assert.equal(bad.body.error_code, "UNAUTHORIZED");
      await server.sessions.delete(sid);
      const out = await post(`${server.url}/getTicket/${roomId}`, {}, bearer(token));
      assert.equal(out.status, 401);
      assert.equal(out.body.error_code, "SESSION_EXPIRED");
    });

    it("refuses a room that does not exist", async () => {
      const { token } = await server.login();
      const res = await post(`${server.url}/getTicket/nosuchroom`, {}, bearer(token));
      assert.equal(res.status, 404);
      assert.equal(res.body.error_code, "ROOM_NOT_FOUND");
      const stranger = await post(`${server.url}/getTicket/nosuchroom`, {}, bearer("not.a.jwt"));
      assert.equal(stranger.body.error_code, "UNAUTHORIZED", "identity is checked before the room");
      const guest = await post(`${server.url}/getTicket/nosuchroom`, { username: "someone" });
      assert.equal(guest.body.error_code, "ROOM_NOT_FOUND");
    });

    it("issues a guest ticket with a guest:<nick>#<random> id", async () => {
      const { token } = await server.login();
      const { roomId } = await createRoom(server, token);
      const claims = jwt.decode(await guestTicket(server, roomId, "  Morpheus ")) as Record<string, unknown>;
      assert.equal(claims.guest, true);
      assert.equal(claims.nick, "morpheus");
      assert.match(String(claims.sub), /^guest:morpheus#[0-9a-f]{8}$/);
      assert.equal(claims.sid, undefined);
    });

    it("refuses guests in ranked rooms and rooms without guests", async () => {
      const { token } = await server.login();
      for (const options of [{ ranked: true, allowGuests: true }, { ranked: false, allowGuests: false }]) {
        const { roomId } = await createRoom(server, token, options);
        const res = await post(`${server.url}/getTicket/${roomId}`, { username: "visitor" });
        assert.equal(res.status, 403, JSON.stringify(options));
        assert.equal(res.body.error_code, "GUESTS_NOT_ALLOWED");
        assert.equal((await post(`${server.url}/getTicket/${roomId}`, {}, bearer(token))).status, 200, "players are welcome");
      }
    });

    it("applies the nickname rules", async () => {
      const { token } = await server.login();
      const { roomId } = await createRoom(server, token);
      for (const username of ["ab", "bad name", "nеo-cyrillic", "x".repeat(21), 42, undefined, "admin", "Adm1n", "r00t", "support_7", "ＳＹＳＴＥＭ"]) {
        const res = await post(`${server.url}/getTicket/${roomId}`, { username });
        assert.equal(res.status, 400, String(username));
        assert.equal(res.body.error_code, "INVALID_NICKNAME");
      }
    });

    it("keeps guest nicknames unique in a room until the guest leaves", async () => {
      const { token } = await server.login();
      const { roomId } = await createRoom(server, token);
      const other = await createRoom(server, token);
      const host = await join(server.url, roomId, await playerTicket(server, roomId, token)); // keeps the room alive
      const room = await join(server.url, roomId, await guestTicket(server, roomId, "neo"));
      const clash = await post(`${server.url}/getTicket/${roomId}`, { username: "NEO" });
      assert.equal(clash.status, 409);
      assert.equal(clash.body.error_code, "NICKNAME_TAKEN");
      assert.ok(await guestTicket(server, other.roomId, "neo"), "another room is another namespace");
      await room.leave();
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(await guestTicket(server, roomId, "neo"));
      await host.leave();
    });

    it("refuses a player already in a room, and a full room", async () => {
      const alice = await server.login();
      const bob = await server.login();
      const small = await createRoom(server, alice.token, { maxPlayers: 1 });
      const room = await join(server.url, small.roomId, await playerTicket(server, small.roomId, alice.token));
      const other = await createRoom(server, alice.token);
      const again = await post(`${server.url}/getTicket/${other.roomId}`, {}, bearer(alice.token));
      assert.equal(again.status, 409);
      assert.equal(again.body.error_code, "ALREADY_IN_ROOM");
      const full = await post(`${server.url}/getTicket/${small.roomId}`, {}, bearer(bob.token));
      assert.equal(full.status, 409);
      assert.equal(full.body.error_code, "ROOM_FULL");
      await room.leave();
    });
  });

  describe("monitor", () => {
    const ok = { authorization: `Basic ${Buffer.from("admin:monitor-pass").toString("base64")}` };
    it("is behind basic auth", async () => {
      assert.equal((await fetch(`${server.url}/colyseus/`)).status, 401);
      const auth = { authorization: `Basic ${Buffer.from("admin:wrong").toString("base64")}` };
      assert.equal((await fetch(`${server.url}/colyseus/`, { headers: auth })).status, 401);
      assert.equal((await fetch(`${server.url}/colyseus/`, { headers: ok })).status, 200);
      const call = await get(`${server.url}/colyseus/api/room/call?roomId=x&method=disconnect&args=[]`);
      assert.equal(call.status, 401, "the room call route too");
    });

    it("calls a live room's monitor operations, and refuses anything else with a code, never a 500", async () => {
      const { token } = await server.login();
      const { roomId } = await createRoom(server, token);
      const room = await join(server.url, roomId, await playerTicket(server, roomId, token));
      const call = (method: string, args: string, id = roomId) =>
        get(`${server.url}/colyseus/api/room/call?${new URLSearchParams({ roomId: id, method, args })}`, ok);
      assert.equal((await call("broadcast", JSON.stringify(["notice", { text: "hi" }]))).status, 200);
      assert.equal((await call("_sendMessageToClient", JSON.stringify([room.sessionId, "notice", {}]))).status, 200);
      const refusals: Array<[string, string, string | undefined, number, string]> = [
        ["an unknown method", "nope", "[]", 400, "VALIDATION_FAILED"],
        ["a room method the monitor does not offer", "onJoin", "[]", 400, "VALIDATION_FAILED"],
        ["an inherited property", "constructor", "[]", 400, "VALIDATION_FAILED"],
        ["args that are not JSON", "broadcast", "{", 400, "VALIDATION_FAILED"],
        ["args of the wrong shape", "_forceClientDisconnect", "[1, 2]", 400, "VALIDATION_FAILED"],
        ["a state edit", "_editStateProperty", JSON.stringify([["players", room.sessionId, "connected"], "x"]), 403, "FORBIDDEN"],
        ["a gone room", "disconnect", "[]", 404, "ROOM_NOT_FOUND"],
      ];
      for (const [what, method, args, status, code] of refusals) {
        const res = await call(method, args ?? "[]", what === "a gone room" ? "no-such-room" : roomId);
        assert.equal(res.status, status, what);
        assert.equal(res.body.error_code, code, what);
      }
      const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
      assert.equal((await call("_forceClientDisconnect", JSON.stringify([room.sessionId]))).status, 200);
      await left;
    });
  });

  it("answers unknown routes and bad JSON in the error shape", async () => {
    const missing = await get(`${server.url}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error_code, "NOT_FOUND");
    const { token } = await server.login();
    const res = await fetch(`${server.url}/rooms`, { method: "POST", headers: { "content-type": "application/json", ...bearer(token) }, body: "{oops" });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error_code: string }).error_code, "VALIDATION_FAILED");
  });

  it("does not let clients create rooms through the matchmaker", async () => {
    const res = await post(`${server.url}/matchmake/create/game`, { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 2 });
    assert.notEqual(res.status, 200);
  });
});

describe("monitor without ADMIN_PASSWORD", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  it("is off: no default credential opens it", async () => {
    for (const credential of ["admin:admin", "admin:", "admin:password"]) {
      const headers = { authorization: `Basic ${Buffer.from(credential).toString("base64")}` };
      for (const path of ["/colyseus/", "/colyseus/api", "/colyseus/api/room/call?roomId=x&method=disconnect&args=[]"]) {
        const res = await get(`${server.url}${path}`, headers);
        assert.equal(res.status, 404, `${credential} ${path}`);
        assert.equal(res.body.error_code, "NOT_FOUND");
      }
    }
  });
});
