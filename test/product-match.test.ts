// A match through the whole product (`npm start`'s embedded launcher): two accounts and a guest play
// one round in one room; the game server's match record reaches the backend through the results
// outbox with its service credential, match_results carries the profile points the backend credited,
// both accounts find the match in GET /api/me/matches, and the room's chat is in the admin trail.
import assert from "node:assert/strict";
import { Client } from "@colyseus/sdk";
import { ClientMessage, ServerMessage } from "@arena/shared";
import type { Database } from "@arena/db";
import { openTestDatabase } from "@arena/db/test-database";
import { startEmbedded, type RunningEmbedded } from "../scripts/embedded.ts";
import { Player, playRound } from "../game-server/test/game-test-kit.ts";
import { call } from "./support.ts";

const GAME_ENV = {
  LOG_LEVEL: "silent",
  REDIS_KEY_PREFIX: `tm${Date.now().toString(36)}:`,
  GAME_DURATION_MS: "1500",
  MATCH_COUNTDOWN_MS: "300",
  MATCH_RESULTS_MS: "500",
  CHAT_FLUSH_MS: "100",
  MAX_MESSAGES_PER_SECOND: "1000",
  ADMIN_USERNAMES: "match_admin",
};

describe("the product: a match end to end", function () {
  this.timeout(60_000);
  let db: Database;
  let app: RunningEmbedded;

  before(async () => {
    db = await openTestDatabase();
    app = await startEmbedded({ env: { ...process.env, ...GAME_ENV }, backendPort: 0, gamePort: 0, dataDir: "memory://", db });
  });
  after(async () => {
    await app?.close();
    await db?.close();
  });

  async function account(username: string) {
    assert.equal((await call("POST", `${app.backendUrl}/auth/register`, { username, password: "correct horse battery" })).status, 201);
    const login = await call("POST", `${app.backendUrl}/auth/login`, { username, password: "correct horse battery" });
    return { token: login.body.access_token as string, id: String(login.body.user.id) };
  }

  /** Logs in, registering first when the account does not exist yet. */
  async function login(username: string): Promise<string> {
    await call("POST", `${app.backendUrl}/auth/register`, { username, password: "correct horse battery" });
    const res = await call("POST", `${app.backendUrl}/auth/login`, { username, password: "correct horse battery" });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.access_token as string;
  }

  async function seat(roomId: string, body: unknown, token?: string) {
    const ticket = await call("POST", `${app.gameServerUrl}/getTicket/${roomId}`, body, token);
    assert.equal(ticket.status, 200, JSON.stringify(ticket.body));
    const client = new Client(app.gameServerUrl);
    client.auth.token = ticket.body.ticket;
    return new Player(await client.joinById(roomId));
  }

  it("two accounts and a guest play a round: placements, real points, history for both, chat in the audit trail", async () => {
    const [ann, ben] = [await account("match_ann"), await account("match_ben")];
    const created = await call("POST", `${app.gameServerUrl}/rooms`, { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 4 }, ann.token);
    assert.equal(created.status, 201);
    const { roomId, code } = created.body;
    const host = await seat(roomId, {}, ann.token);
    const other = await seat(roomId, {}, ben.token);
    const guest = await seat(roomId, { username: "wanderer" });
    await guest.sendAndSettle(ClientMessage.Chat, { text: "good luck" });

    const games = await playRound(host, [host, other, guest], [3, 1, 2]);
    await Promise.all([host, other, guest].map((p, i) => p.submit(games[i].honest)));
    const results = await other.next(ServerMessage.MatchResults, 10_000);
    assert.deepEqual(results.players.map((l: any) => [l.nick, l.placement, l.resultSaved]), [["match_ann", 1, true], ["wanderer", 2, false], ["match_ben", 3, true]]);
    assert.ok(results.players[0].pointsEarned > 0, "the backend credited the winner");
    assert.equal(results.players[1].pointsEarned, 0, "guests earn nothing");

    for (const [who, placement] of [[ann, 1], [ben, 3]] as const) {
      const history = await call("GET", `${app.backendUrl}/api/me/matches`, undefined, who.token);
      assert.equal(history.status, 200, JSON.stringify(history.body));
      const match = history.body.matches.find((m: any) => m.match_id === results.matchId);
      assert.ok(match, JSON.stringify(history.body));
      assert.equal(match.me.placement, placement);
    }
    // The chat line reached the backend's audit trail (batched through the outbox).
    const admin = await account("match_admin");
    let audit: any;
    for (let i = 0; i < 50 && !audit?.body.messages?.length; i++) {
      audit = await call("GET", `${app.backendUrl}/api/admin/rooms/${code}/chat`, undefined, admin.token);
      if (!audit.body.messages?.length) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(audit.status, 200, JSON.stringify(audit.body));
    assert.deepEqual(audit.body.messages.map((m: any) => [m.text, m.guest]), [["good luck", true]]);
    await Promise.all([host.leave(), other.leave(), guest.leave()]);
  });

  it("the winner earns 3× their points, unlocks and equips a skin, and the other player sees it in the next match", async () => {
    const [cat, dan] = [await account("skin_cat"), await account("skin_dan")];
    const balance = async (token: string) => (await call("GET", `${app.backendUrl}/api/profile`, undefined, token)).body.balance as number;
    const before = await balance(cat.token); // the daily login bonus only
    const created = await call("POST", `${app.gameServerUrl}/rooms`, { mode: "classic", ranked: false, allowGuests: false, maxPlayers: 2 }, cat.token);
    const { roomId } = created.body;
    const host = await seat(roomId, {}, cat.token);
    const other = await seat(roomId, {}, dan.token);
    const games = await playRound(host, [host, other], [3, 1]);
    await Promise.all([host, other].map((p, i) => p.submit(games[i].honest)));
    const results = await other.next(ServerMessage.MatchResults, 10_000);
    assert.deepEqual(results.players.map((l: any) => [l.nick, l.placement, l.score, l.pointsEarned]), [["skin_cat", 1, 3, 9], ["skin_dan", 2, 1, 2]]);
    assert.equal(await balance(cat.token), before + 9, "first place pays 3 × the 3 points scored");

    // 100 points are needed: the refusal says by how much, then an admin tops the balance up.
    const short = await call("POST", `${app.backendUrl}/api/skins/mint-ring/unlock`, undefined, cat.token);
    assert.equal(short.status, 409);
    assert.deepEqual([short.body.error_code, short.body.balance, short.body.price], ["INSUFFICIENT_POINTS", before + 9, 100]);
    const admin = await login("match_admin");
    const topUp = await call("POST", `${app.backendUrl}/api/admin/users/${cat.id}/points`, { amount: 100, reason: "tournament prize" }, admin);
    assert.equal(topUp.status, 200, JSON.stringify(topUp.body));
    assert.equal((await call("POST", `${app.backendUrl}/api/skins/mint-ring/unlock`, undefined, cat.token)).status, 200);
    const equipped = await call("POST", `${app.backendUrl}/api/skins/mint-ring/equip`, undefined, cat.token);
    assert.equal(equipped.status, 200, JSON.stringify(equipped.body));

    // The host comes back with the fresh token (its skin claim) and a new ticket: the other player sees the skin.
    assert.equal(other.room.state.players.get(host.room.sessionId).skin, "classic-dot");
    await host.leave();
    const back = await seat(roomId, {}, equipped.body.access_token);
    for (let i = 0; i < 50 && other.room.state.players.get(back.room.sessionId)?.skin !== "mint-ring"; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(other.room.state.players.get(back.room.sessionId)?.skin, "mint-ring");
    assert.equal(back.room.state.players.get(other.room.sessionId)?.skin, "classic-dot", "an account with no skin shows the default");
    await Promise.all([back.leave(), other.leave()]);
  });
});
