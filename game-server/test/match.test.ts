import assert from "node:assert/strict";
import { ClientMessage, RoomCloseCode, ServerMessage } from "@arena/shared";
import { InternalRoute } from "@arena/shared/contracts/internal-api";
import { Player, playRound, startGameWorld, type GameWorld } from "./game-test-kit.ts";
import { createRoom, get, guestTicket, join, playerTicket, waitFor } from "./test-server.ts";

/** A room made by a fresh account (the creator, not yet seated). */
async function openRoom(world: GameWorld, options: Record<string, unknown> = {}) {
  const creator = await world.server.login();
  const room = await createRoom(world.server, creator.token, { mode: "classic", maxPlayers: 4, ...options });
  return { ...room, creator };
}

async function seatAccount(world: GameWorld, roomId: string, token?: string) {
  const account = token ? null : await world.server.login();
  const player = new Player(await join(world.server.url, roomId, await playerTicket(world.server, roomId, token ?? account!.token)));
  return Object.assign(player, { sub: account?.sub });
}

async function seatGuest(world: GameWorld, roomId: string, nick: string) {
  return new Player(await join(world.server.url, roomId, await guestTicket(world.server, roomId, nick)));
}

const stateOf = (p: Player) => p.room.state as any;
const playerState = (observer: Player, who: Player) => stateOf(observer).players?.get(who.room.sessionId);
const leaveAll = (...players: Player[]) => Promise.all(players.map((p) => p.leave()));

describe("matches: a round played together", () => {
  let world: GameWorld;
  before(async () => (world = await startGameWorld()));
  after(() => world.close());

  it("two players and a guest play a round to placements; the record is stored once and everyone sees match_results", async () => {
    const { roomId, code, creator } = await openRoom(world);
    const host = await seatAccount(world, roomId, creator.token);
    const bob = await seatAccount(world, roomId);
    const guest = await seatGuest(world, roomId, "visitor");
    await waitFor(() => stateOf(host).players.size === 3);
    assert.equal(stateOf(host).host, host.room.sessionId, "the creator hosts");
    assert.equal(stateOf(host).phase, "lobby");
    assert.deepEqual(host.all(ServerMessage.PlayerJoined).map((j) => j.nick), [`player${bob.sub}`, "visitor"]);
    assert.equal(bob.all(ServerMessage.PlayerJoined).length, 0, "only the host is told");

    const games = await playRound(host, [host, bob, guest], [3, 1, 3]);
    const countdown = await guest.next(ServerMessage.MatchCountdown);
    assert.equal(countdown.round, 1);
    assert.deepEqual([...countdown.players].sort(), [host, bob, guest].map((p) => p.room.sessionId).sort());
    // The same server instant and the same first target for everyone; each their own session and tokens.
    assert.equal(new Set(games.map((g) => g.started.startedAt)).size, 1);
    assert.equal(games[0].started.startedAt, countdown.startsAt);
    assert.equal(new Set(games.map((g) => JSON.stringify(g.started.target))).size, 1);
    assert.equal(new Set(games.map((g) => g.started.sessionId)).size, 3);
    assert.equal(new Set(games.map((g) => JSON.stringify(g.accepted[0].target))).size, 1, "the same second target too");

    // Every player submits; the placements are in the state and in match_results.
    const results = await Promise.all([host, bob, guest].map((p, i) => p.submit(games[i].honest)));
    assert.deepEqual(results.map((r) => r.accepted), [true, true, true]);
    const final = await bob.next(ServerMessage.MatchResults);
    assert.deepEqual(
      final.players.map((l: any) => [l.nick, l.score, l.placement, l.guest, l.resultSaved, l.pointsEarned]),
      [[`player${creator.sub}`, 3, 1, false, true, 0], ["visitor", 3, 1, true, false, 0], [`player${bob.sub}`, 1, 3, false, true, 0]],
    );
    assert.equal(stateOf(bob).phase, "results");
    assert.deepEqual([playerState(bob, host).placement, playerState(bob, guest).placement, playerState(bob, bob).placement], [1, 1, 3]);
    assert.deepEqual([playerState(bob, host).points, playerState(bob, host).score], [3, 3]);

    const record = world.backend.matches.get(final.matchId)!;
    assert.deepEqual([record.room_code, record.mode, record.round, record.outcome, record.solo], [code, "classic", 1, "completed", false]);
    assert.deepEqual(
      record.players.map((p) => [p.user_id, p.nick, p.placement, p.result_saved, p.result_id]).sort(),
      [
        [creator.sub, `player${creator.sub}`, 1, true, games[0].started.sessionId],
        [bob.sub, `player${bob.sub}`, 3, true, games[1].started.sessionId],
        [null, "visitor", 1, false, null],
      ].sort(),
    );
    assert.equal(world.backend.results.get(games[1].started.sessionId).score, 1, "each account's own result still goes to the boards");
    // Back to the lobby after MATCH_RESULTS_MS, ready for round 2.
    await waitFor(() => stateOf(host).phase === "lobby");
    assert.equal(playerState(host, host).placement, 0);
    await leaveAll(host, bob, guest);
  });

  it("only the host may start, and only in lobby; bad input gets a code and the sender stays seated", async () => {
    const { roomId, creator } = await openRoom(world);
    const host = await seatAccount(world, roomId, creator.token);
    const other = await seatAccount(world, roomId);
    await Promise.all([host.heartbeat(), other.heartbeat()]);

    await other.sendAndSettle(ClientMessage.StartMatch, {});
    assert.deepEqual(other.all(ServerMessage.Error).map((e) => [e.code, e.type]), [["NOT_HOST", "start_match"]]);
    assert.equal(stateOf(other).phase, "lobby");
    await other.sendAndSettle(ClientMessage.GameStart, { clientTs: Date.now() });
    assert.equal(other.all(ServerMessage.Error).at(-1).code, "SOLO_START_ONLY");
    for (const [type, payload] of [[ClientMessage.StartMatch, { now: true }], [ClientMessage.Ready, { ready: "yes" }], [ClientMessage.Chat, { text: 5 }], [ClientMessage.Heartbeat, "x"], ["teleport", {}]] as const) {
      await other.sendAndSettle(type, payload);
      assert.deepEqual([other.all(ServerMessage.Error).at(-1).code, other.all(ServerMessage.Error).at(-1).type], ["VALIDATION_FAILED", type]);
    }
    await other.sendAndSettle(ClientMessage.Ready, { ready: true });
    await waitFor(() => playerState(host, other)?.ready === true);

    host.room.send(ClientMessage.StartMatch, {});
    await host.next(ServerMessage.MatchCountdown);
    await host.sendAndSettle(ClientMessage.StartMatch, {});
    assert.equal(host.all(ServerMessage.Error).at(-1).code, "WRONG_PHASE");
    await other.sendAndSettle(ClientMessage.Ready, { ready: false });
    assert.equal(other.all(ServerMessage.Error).at(-1).code, "WRONG_PHASE");
    await Promise.all([host.next(ServerMessage.GameStarted), other.next(ServerMessage.GameStarted)]);
    assert.equal(playerState(host, other).ready, false, "a round clears the ready badges");
    assert.equal(stateOf(host).phase, "running");
    assert.equal(other.room.connection.isOpen, true, "every refusal left the client seated");
    await leaveAll(host, other);
  });

  it("the host role passes to the longest-seated player when the host leaves", async () => {
    const { roomId, creator } = await openRoom(world);
    const host = await seatAccount(world, roomId, creator.token);
    const second = await seatAccount(world, roomId);
    const third = await seatGuest(world, roomId, "third");
    await waitFor(() => stateOf(third).players?.size === 3);
    await host.leave();
    await waitFor(() => stateOf(third).host === second.room.sessionId);
    const fourth = await seatGuest(world, roomId, "fourth");
    const joined = await second.next(ServerMessage.PlayerJoined);
    assert.equal(joined.nick, "fourth", "the new host is told who joins");
    await second.heartbeat();
    second.room.send(ClientMessage.StartMatch, {});
    assert.equal((await second.next(ServerMessage.MatchCountdown)).round, 1);
    await leaveAll(second, third, fourth);
  });

  it("a player who joins mid-round watches, then plays the next round", async () => {
    const { roomId, creator } = await openRoom(world, { maxPlayers: 3 });
    const host = await seatAccount(world, roomId, creator.token);
    await host.heartbeat();
    host.room.send(ClientMessage.StartMatch, {});
    const started = await host.next(ServerMessage.GameStarted);
    const late = await seatGuest(world, roomId, "latecomer");
    await waitFor(() => stateOf(late).phase === "running" && playerState(late, late) !== undefined);
    assert.equal(playerState(late, late).playing, false);
    assert.equal(playerState(late, host).playing, true);
    assert.deepEqual([(await late.hit(started.target)).code], ["GAME_NOT_STARTED"], "a watcher's point does not count");
    await host.next(ServerMessage.EndGame);
    await late.next(ServerMessage.MatchResults);
    await waitFor(() => stateOf(late).phase === "lobby");
    const [hostGame, lateGame] = await playRound(host, [host, late], [1, 2]);
    assert.equal(hostGame.started.round, 2);
    assert.equal(lateGame.started.round, 2);
    await leaveAll(host, late);
  });

  it("a lone player in a solo room plays at once with game_start; the round is recorded as solo", async () => {
    const { roomId, creator } = await openRoom(world, { maxPlayers: 1 });
    const solo = await seatAccount(world, roomId, creator.token);
    await waitFor(() => stateOf(solo).solo === true);
    const started = await solo.start();
    assert.equal(started.round, 1);
    const accepted = await solo.play(started.target, 2);
    const end = await solo.next(ServerMessage.EndGame);
    await solo.submit({ sessionId: started.sessionId, startToken: started.startToken, endToken: end.endToken, points: accepted.map((p) => ({ token: p.token, clientTs: p.clientTs })) });
    const results = await solo.next(ServerMessage.MatchResults);
    assert.deepEqual([results.solo, results.players.length, results.players[0].placement, results.players[0].score], [true, 1, 1, 2]);
    assert.equal(world.backend.matches.get(results.matchId)!.solo, true);
    assert.equal(solo.all(ServerMessage.MatchCountdown).length, 0, "no countdown");
    await solo.leave();
  });

  it("steps: the round ends when every player finished; placement by time, a player who left placed after the finishers", async () => {
    const { roomId, creator } = await openRoom(world, { mode: "steps" });
    const host = await seatAccount(world, roomId, creator.token);
    const slow = await seatGuest(world, roomId, "slowpoke");
    const quitter = await seatGuest(world, roomId, "quitter");
    await Promise.all([host, slow, quitter].map((p) => p.heartbeat()));
    host.room.send(ClientMessage.StartMatch, {});
    const [hostStart, slowStart] = await Promise.all([host, slow, quitter].map((p) => p.next(ServerMessage.GameStarted)));
    await quitter.leave();
    await host.play(hostStart.target, 3, 0);
    assert.equal((await host.next(ServerMessage.EndGame)).reason, "completed");
    assert.equal(stateOf(host).phase, "running", "the round waits for the other finisher");
    await new Promise((r) => setTimeout(r, 100));
    await slow.play(slowStart.target, 3, 0);
    const slowEnd = await slow.next(ServerMessage.EndGame);
    const results = await slow.next(ServerMessage.MatchResults);
    assert.deepEqual(
      results.players.map((l: any) => [l.nick, l.placement, l.finished]),
      [[`player${creator.sub}`, 1, true], ["slowpoke", 2, true], ["quitter", 3, false]],
    );
    assert.equal(results.players[1].score, slowEnd.score);
    assert.ok(results.players[0].score < results.players[1].score, "the faster time wins");
    await leaveAll(host, slow);
  });

  it("a player caught by the burst anti-cheat is placed last and flagged, whatever the score", async () => {
    const { roomId, creator } = await openRoom(world);
    const host = await seatAccount(world, roomId, creator.token);
    const calm = await seatGuest(world, roomId, "calm");
    await Promise.all([host.heartbeat(), calm.heartbeat()]);
    host.room.send(ClientMessage.StartMatch, {});
    const [started] = await Promise.all([host.next(ServerMessage.GameStarted), calm.next(ServerMessage.GameStarted)]);
    let target = started.target;
    for (let episode = 0; episode < 2 && host.all(ServerMessage.EndGame).length === 0; episode++) {
      for (let i = 0; i < 6; i++) {
        const r = await host.hit(target);
        if (r.accepted) target = r.target;
      }
      await new Promise((r) => setTimeout(r, 350));
    }
    assert.equal((await host.next(ServerMessage.EndGame)).reason, "burst_abuse");
    await waitFor(() => playerState(calm, host)?.flagged === true);
    assert.ok(playerState(calm, host).bursts >= 2, "the bursts are counted in the state");
    const results = await calm.next(ServerMessage.MatchResults);
    assert.deepEqual(results.players.map((l: any) => [l.nick, l.placement, l.flagged]), [["calm", 1, false], [`player${creator.sub}`, 2, true]]);
    assert.ok(results.players[1].score > results.players[0].score);
    await leaveAll(host, calm);
  });

  it("a match record is stored once even when its first answer is lost and the outbox retries", async () => {
    const { roomId, creator } = await openRoom(world);
    const host = await seatAccount(world, roomId, creator.token);
    const guest = await seatGuest(world, roomId, "retry");
    world.backend.loseMatchAnswers(1);
    const games = await playRound(host, [host, guest], [1, 0]);
    await host.submit(games[0].honest);
    const results = await host.next(ServerMessage.MatchResults);
    assert.equal(results.players[0].pointsEarned, 0, "pending: no points known yet");
    const posts = () => world.backend.calls.filter((c) => c.path === InternalRoute.MatchRecords && c.body.match_id === results.matchId);
    await waitFor(() => posts().length >= 2, 5000);
    assert.equal(world.backend.matches.get(results.matchId)!.players.length, 2);
    assert.equal([...world.backend.matches.keys()].filter((id) => id === results.matchId).length, 1);
    await leaveAll(host, guest);
  });

  it("a two-player round is called off when one player leaves for good: both told why, nobody placed", async () => {
    const { roomId, creator } = await openRoom(world);
    const host = await seatAccount(world, roomId, creator.token);
    const other = await seatAccount(world, roomId);
    await Promise.all([host.heartbeat(), other.heartbeat()]);
    host.room.send(ClientMessage.StartMatch, {});
    await Promise.all([host.next(ServerMessage.GameStarted), other.next(ServerMessage.GameStarted)]);
    const otherSession = other.room.sessionId;
    await other.leave();
    const off = await host.next(ServerMessage.MatchCalledOff);
    assert.deepEqual([off.reason, off.sessionId, off.round], ["player_left", otherSession, 1]);
    const end = await host.next(ServerMessage.EndGame);
    assert.deepEqual([end.reason, end.endToken], ["called_off", undefined]);
    await waitFor(() => stateOf(host).phase === "lobby");
    await waitFor(() => [...world.backend.matches.values()].some((m) => m.room_code === stateOf(host).code));
    const record = [...world.backend.matches.values()].find((m) => m.room_code === stateOf(host).code)!;
    assert.deepEqual([record.outcome, record.players.map((p) => p.placement)], ["called_off", [0, 0]]);
    assert.equal(host.all(ServerMessage.MatchResults).length, 0);
    await host.leave();
  });
});

describe("matches: chat", () => {
  let world: GameWorld;
  before(async () => (world = await startGameWorld({ CHAT_MAX_PER_WINDOW: "3", CHAT_FLUSH_MS: "100" })));
  after(() => world.close());

  it("broadcasts lines with nick and server time, keeps them for joiners, limits and audits them", async () => {
    const { roomId, code, creator } = await openRoom(world);
    const host = await seatAccount(world, roomId, creator.token);
    const guest = await seatGuest(world, roomId, "chatty");
    const before = Date.now();
    await guest.sendAndSettle(ClientMessage.Chat, { text: "  ｇｇ\u0007 wp " });
    const line = await host.next(ServerMessage.ChatMessage);
    assert.deepEqual([line.nick, line.guest, line.text, line.sessionId], ["chatty", true, "gg wp", guest.room.sessionId]);
    assert.ok(line.sentAt >= before && line.sentAt <= Date.now());
    assert.equal((await guest.next(ServerMessage.ChatMessage)).id, line.id, "the sender sees it too");
    await host.sendAndSettle(ClientMessage.Chat, { text: "hello" });

    await guest.sendAndSettle(ClientMessage.Chat, { text: "\u0000 \u001b " });
    assert.equal(guest.all(ServerMessage.Error).at(-1).code, "CHAT_INVALID");
    await guest.sendAndSettle(ClientMessage.Chat, { text: "x".repeat(201) });
    assert.equal(guest.all(ServerMessage.Error).at(-1).code, "CHAT_INVALID");
    await guest.sendAndSettle(ClientMessage.Chat, { text: "x".repeat(1001) });
    assert.equal(guest.all(ServerMessage.Error).at(-1).code, "VALIDATION_FAILED");
    await guest.sendAndSettle(ClientMessage.Chat, { text: "two" });
    await guest.sendAndSettle(ClientMessage.Chat, { text: "three" });
    await guest.sendAndSettle(ClientMessage.Chat, { text: "four" });
    const limited = guest.all(ServerMessage.Error).at(-1);
    assert.deepEqual([limited.code, limited.retryAfter > 0 && limited.retryAfter <= 10], ["CHAT_RATE_LIMITED", true]);
    assert.deepEqual(host.all(ServerMessage.ChatMessage).map((m) => m.text), ["gg wp", "hello", "two", "three"]);

    const late = await seatAccount(world, roomId);
    const history = await late.next(ServerMessage.ChatHistory);
    assert.deepEqual(history.messages.map((m: any) => [m.nick, m.text]), [["chatty", "gg wp"], [`player${creator.sub}`, "hello"], ["chatty", "two"], ["chatty", "three"]]);

    await waitFor(() => [...world.backend.chat.values()].filter((m) => m.room_code === code).length === 4);
    const audit = [...world.backend.chat.values()].filter((m) => m.room_code === code);
    assert.deepEqual(audit.map((m) => [m.sender_user_id, m.sender_nick, m.guest, m.text]), [
      [null, "chatty", true, "gg wp"], [creator.sub, `player${creator.sub}`, false, "hello"], [null, "chatty", true, "two"], [null, "chatty", true, "three"],
    ]);
    assert.equal(audit[0].message_id, line.id);
    await leaveAll(host, guest, late);
  });
});

describe("matches: presence and idle rooms on an injected clock", () => {
  let world: GameWorld;
  let shift = 0;
  // Leases (presence, room code) judged on the same clock outlive the shifts, so only the room's
  // own release can free them.
  before(async () => (world = await startGameWorld({ GAME_DURATION_MS: "120000", ROOM_SWEEP_MS: "50", ROOM_IDLE_TIMEOUT: "3600", PRESENCE_TTL: "7200", ROOM_RECORD_TTL: "7200" }, { now: () => Date.now() + shift })));
  after(() => world.close());
  afterEach(() => (shift = 0));

  it("a player silent for PLAYER_INACTIVE_MS is away; a two-player round is then called off and the host role moves", async () => {
    const { roomId, creator } = await openRoom(world);
    const host = await seatAccount(world, roomId, creator.token);
    const other = await seatGuest(world, roomId, "stayer");
    await Promise.all([host.heartbeat(), other.heartbeat()]);
    host.room.send(ClientMessage.StartMatch, {});
    await Promise.all([host.next(ServerMessage.GameStarted), other.next(ServerMessage.GameStarted)]);
    shift += 20_000;
    await other.heartbeat();
    shift += 15_000; // the host: 35 s without a message; the other: 15 s
    const off = await other.next(ServerMessage.MatchCalledOff);
    assert.deepEqual([off.reason, off.sessionId, off.nick], ["player_inactive", host.room.sessionId, `player${creator.sub}`]);
    assert.equal((await host.next(ServerMessage.MatchCalledOff)).reason, "player_inactive", "both are told");
    assert.equal((await other.next(ServerMessage.EndGame)).reason, "called_off");
    await waitFor(() => playerState(other, host)?.active === false && stateOf(other).phase === "lobby");
    assert.equal(stateOf(other).host, other.room.sessionId, "an inactive host hands over to an active player");
    assert.equal(playerState(other, other).active, true);
    await host.heartbeat();
    await waitFor(() => playerState(other, host)?.active === true);
    await leaveAll(host, other);
  });

  it("a room without any message or join for ROOM_IDLE_TIMEOUT is closed: players told why, its records released", async () => {
    const { roomId, code, creator } = await openRoom(world);
    const host = await seatAccount(world, roomId, creator.token);
    await host.heartbeat();
    const closed = new Promise<number>((resolve) => host.room.onLeave.once((closeCode) => resolve(closeCode)));
    shift += 3_599_000;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(host.all(ServerMessage.RoomClosing).length, 0, "not idle yet");
    shift += 1_000;
    assert.equal(await closed, RoomCloseCode.Idle);
    assert.deepEqual(host.all(ServerMessage.RoomClosing), [{ reason: "idle", code: RoomCloseCode.Idle }]);
    await waitFor(async () => (await get(`${world.server.url}/rooms/by-code/${code}`)).status === 404);
    await waitFor(async () => (await world.server.running.stores.presence.holder(creator.sub)) === null);
  });
});
