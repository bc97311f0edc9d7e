// JWT forgeries, token-type swaps and ticket replay against the running product.
import assert from "node:assert/strict";
import { createPublicKey, generateKeyPairSync, randomUUID } from "node:crypto";
import { Client } from "@colyseus/sdk";
import { RoomErrorCode } from "@arena/shared";
import jwt from "jsonwebtoken";
import { call } from "../support.ts";
import { product, type Product } from "./product.ts";

const PASSWORD = "correct horse battery";

/** The numeric code a join (or reconnect) was refused with. */
async function refused(promise: Promise<{ leave(): Promise<unknown> }>): Promise<number> {
  try {
    const room = await promise;
    await room.leave().catch(() => {});
  } catch (err) {
    return (err as { code: number }).code;
  }
  throw new Error("expected a refusal");
}

async function joinWith(url: string, roomId: string, ticket: string) {
  const client = new Client(url);
  client.auth.token = ticket;
  const room = await client.joinById(roomId);
  room.onMessage("*", () => {});
  return room;
}

describe("security: tokens", function () {
  this.timeout(120_000);
  let p: Product;
  let token: string;
  let claims: jwt.JwtPayload;
  let roomId: string;
  before(async () => {
    p = await product();
    const username = `tok_${randomUUID().slice(0, 8)}`;
    assert.equal((await call("POST", `${p.backend}/auth/register`, { username, password: PASSWORD })).status, 201);
    token = (await call("POST", `${p.backend}/auth/login`, { username, password: PASSWORD })).body.access_token;
    claims = jwt.decode(token) as jwt.JwtPayload;
    roomId = (await call("POST", `${p.game}/rooms`, { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 4 }, token)).body.roomId;
  });

  /** Each forged identity token is refused by the backend (401) and by the game server (401). */
  async function assertRefusedEverywhere(what: string, forged: string) {
    const backend = await call("GET", `${p.backend}/api/scoreboard/me?board=general`, undefined, forged);
    assert.equal(backend.status, 401, `${what} (backend): ${JSON.stringify(backend.body)}`);
    const game = await call("POST", `${p.game}/getTicket/${roomId}`, {}, forged);
    assert.equal(game.status, 401, `${what} (game server): ${JSON.stringify(game.body)}`);
  }

  it("refuses JWT forgeries on both apps", async () => {
    const jwks = (await call("GET", `${p.backend}/.well-known/jwks.json`)).body;
    const publicPem = createPublicKey({ key: jwks.keys[0], format: "jwk" }).export({ type: "spki", format: "pem" }) as string;
    const attacker = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const payload = { ...claims, role: "admin" };
    const [header, , signature] = token.split(".");
    const now = Math.floor(Date.now() / 1000);
    const forgeries: Array<[string, string]> = [
      ["alg none", jwt.sign(payload, "", { algorithm: "none" } as jwt.SignOptions)],
      ["HS256 keyed with the public key (key confusion)", jwt.sign(payload, publicPem, { algorithm: "HS256", keyid: jwks.keys[0].kid })],
      ["an attacker's key under the real kid", jwt.sign(payload, attacker.privateKey, { algorithm: "ES256", keyid: jwks.keys[0].kid })],
      ["an unknown kid", jwt.sign(payload, attacker.privateKey, { algorithm: "ES256", keyid: "attacker" })],
      ["a jku pointing at the attacker's keys", jwt.sign(payload, attacker.privateKey, { algorithm: "ES256", keyid: "attacker", header: { alg: "ES256", jku: "http://127.0.0.1:9/jwks.json" } as jwt.JwtHeader })],
      ["an x5u header", jwt.sign(payload, attacker.privateKey, { algorithm: "ES256", header: { alg: "ES256", x5u: "http://127.0.0.1:9/cert.pem" } as jwt.JwtHeader })],
      ["a tampered payload with the real signature", [header, Buffer.from(JSON.stringify(payload)).toString("base64url"), signature].join(".")],
      ["a kid with path traversal", jwt.sign(payload, attacker.privateKey, { algorithm: "ES256", keyid: "../../../../dev/null" })],
      ["garbage", "not.a.jwt"],
    ];
    for (const [what, forged] of forgeries) await assertRefusedEverywhere(what, forged);
    const future = jwt.decode(token) as jwt.JwtPayload;
    assert.ok(future.iat! <= now + 1, "the product's own tokens are not issued in the future");
  });

  it("never accepts one token type where another is expected", async () => {
    const ticket = (await call("POST", `${p.game}/getTicket/${roomId}`, { username: `swap${randomUUID().slice(0, 6)}` })).body.ticket;
    await assertRefusedEverywhere("a room ticket as an identity token", ticket);
    const asResult = await call("POST", `${p.backend}/internal/game-results`, { result_id: randomUUID(), user_id: claims.sub, mode: "classic", score: 1, points: 1, started_at: new Date().toISOString(), ended_at: new Date().toISOString() }, token);
    assert.equal(asResult.status, 401, "an identity token as a service credential");
    assert.equal(await refused(joinWith(p.game, roomId, token)), RoomErrorCode.IDENTITY_TOKEN_AS_TICKET, "an identity token as a ticket");
  });

  it("refuses ticket replay: in another room, and in its own room after its holder left", async () => {
    const other = (await call("POST", `${p.game}/rooms`, { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 4 }, token)).body.roomId;
    const host = await joinWith(p.game, roomId, (await call("POST", `${p.game}/getTicket/${roomId}`, { username: `host${randomUUID().slice(0, 6)}` })).body.ticket);
    const ticket = (await call("POST", `${p.game}/getTicket/${roomId}`, { username: `replay${randomUUID().slice(0, 6)}` })).body.ticket;
    assert.equal(await refused(joinWith(p.game, other, ticket)), RoomErrorCode.TICKET_WRONG_ROOM);
    const seated = await joinWith(p.game, roomId, ticket);
    assert.equal(await refused(joinWith(p.game, roomId, ticket)), RoomErrorCode.TICKET_IN_USE, "while its holder is connected");
    const hijack = await refused(new Client(p.game).reconnect(seated.reconnectionToken));
    assert.equal(hijack, RoomErrorCode.SEAT_CONNECTED, "a reconnection token cannot take a connected seat");
    await seated.leave();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await refused(joinWith(p.game, roomId, ticket)), RoomErrorCode.TICKET_USED, "after its holder left");
    await host.leave();
  });
});
