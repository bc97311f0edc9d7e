import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Client, type Room } from "@colyseus/sdk";
import { ClientMessage, RoomErrorCode, ServerMessage } from "@arena/shared";
import { RedisSessionStore } from "@arena/shared/session/redis-session-store";
import { signIdentityToken } from "@arena/shared/tokens/identity-token";
import { Redis } from "ioredis";
import { Player } from "./game-test-kit.ts";
import { deleteRedisPrefix } from "./redis-cleanup.ts";
import { bearer, join, post, REDIS_URL, waitFor } from "./test-server.ts";

const GAME_SERVER_DIR = fileURLToPath(new URL("..", import.meta.url));

interface Proc {
  url: string;
  child: ChildProcess;
  processId?: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `node --import tsx src/main.ts` with its own port and public address, sharing Redis. */
async function spawnGameServer(env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: GAME_SERVER_DIR,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", PUBLIC_ADDRESS: `127.0.0.1:${port}`, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const proc: Proc = { url: `http://127.0.0.1:${port}`, child };
  let buffered = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const match = /"processId":"([^"]+)"/.exec(buffered);
    if (match) proc.processId = match[1];
  });
  child.stderr!.on("data", () => {});
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`game server exited with ${child.exitCode}`);
    return (await fetch(`${proc.url}/healthz`).catch(() => null))?.ok === true && proc.processId !== undefined;
  }, 20_000, 100);
  return proc;
}

function stop(proc: Proc, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.child.once("exit", () => resolve());
    proc.child.kill(signal);
  });
}

describe("two game-server processes sharing Redis", function () {
  this.timeout(60_000);
  if (!REDIS_URL) {
    it("skipped: set REDIS_URL to run the multi-process test");
    return;
  }

  const prefix = `test:${randomUUID()}:`;
  const keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const signing = { kid: "mp", privateKey: keys.privateKey };
  const sessions = new RedisSessionStore(REDIS_URL, `${prefix}session:`);
  let a: Proc;
  let b: Proc;
  let users = 0;

  async function login() {
    const sub = String(7000 + ++users);
    const sid = randomUUID();
    await sessions.put(sid, { userId: sub, expiresAt: Date.now() + 600_000 });
    return { sub, token: signIdentityToken({ sub, nick: `mp${sub}`, sid, role: "player" }, signing, { issuer: "arena-backend", audience: "arena", ttlSeconds: 600 }) };
  }

  async function createRoomVia(proc: Proc, token: string, options: Record<string, unknown> = {}) {
    const res = await post(`${proc.url}/rooms`, { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 4, ...options }, bearer(token));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { roomId: string; code: string };
  }

  async function ticketVia(proc: Proc, roomId: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await post(`${proc.url}/getTicket/${roomId}`, body, headers);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.ticket as string;
  }

  async function hostOf(roomId: string): Promise<string> {
    const redis = new Redis(REDIS_URL!);
    try {
      const cache = await redis.hget(`${prefix}roomcaches`, roomId);
      return JSON.parse(cache!).processId;
    } finally {
      await redis.quit();
    }
  }

  before(async () => {
    const env = {
      REDIS_URL: REDIS_URL!,
      REDIS_KEY_PREFIX: prefix,
      NODE_ENV: "test",
      PRESENCE_TTL: "2",
      GAME_DURATION_MS: "1500",
      MATCH_COUNTDOWN_MS: "300",
      IDENTITY_PUBLIC_KEY: keys.publicKey.export({ type: "spki", format: "pem" }) as string,
    };
    [a, b] = await Promise.all([spawnGameServer(env), spawnGameServer(env)]);
  });

  after(async () => {
    await Promise.all([a && stop(a), b && stop(b)]);
    await sessions.close();
    await deleteRedisPrefix(REDIS_URL!, prefix);
  });

  it("creates a room through one process, issues the ticket and joins through the other (player and guest)", async () => {
    const alice = await login();
    const { roomId, code } = await createRoomVia(a, alice.token);
    const byCode = await fetch(`${b.url}/rooms/by-code/${code}`).then((r) => r.json() as Promise<{ roomId: string }>);
    assert.equal(byCode.roomId, roomId);
    const player = await join(b.url, roomId, await ticketVia(b, roomId, {}, bearer(alice.token)));
    const guest = await join(a.url, roomId, await ticketVia(b, roomId, { username: "roamer" }));
    await waitFor(() => player.state.players?.size === 2);
    const clash = await post(`${a.url}/getTicket/${roomId}`, { username: "ROAMER" });
    assert.equal(clash.body.error_code, "NICKNAME_TAKEN", "nicknames are unique across processes");
    const again = await post(`${a.url}/getTicket/${roomId}`, {}, bearer(alice.token));
    assert.equal(again.body.error_code, "ALREADY_IN_ROOM", "presence is seen by every process");
    await guest.leave();
    await player.leave();
  });

  it("lets exactly one of two simultaneous joins of one identity, through both processes, in", async () => {
    const host = await login();
    const r1 = await createRoomVia(a, host.token);
    const r2 = await createRoomVia(b, host.token);
    const keepers = [
      await join(a.url, r1.roomId, await ticketVia(a, r1.roomId, { username: "keeper1" })),
      await join(b.url, r2.roomId, await ticketVia(b, r2.roomId, { username: "keeper2" })),
    ];
    for (let round = 0; round < 3; round++) {
      const bob = await login();
      const t1 = await ticketVia(a, r1.roomId, {}, bearer(bob.token));
      const t2 = await ticketVia(b, r2.roomId, {}, bearer(bob.token));
      const t3 = await ticketVia(b, r1.roomId, {}, bearer(bob.token));
      const results = await Promise.allSettled([join(a.url, r1.roomId, t1), join(b.url, r2.roomId, t2), join(b.url, r1.roomId, t3)]);
      const joined = results.filter((r): r is PromiseFulfilledResult<Room> => r.status === "fulfilled");
      assert.equal(joined.length, 1, `round ${round}: ${results.map((r) => r.status).join(",")}`);
      for (const r of results) if (r.status === "rejected") assert.equal((r.reason as { code: number }).code, RoomErrorCode.ALREADY_IN_ROOM);
      await joined[0].value.leave();
    }
    for (const keeper of keepers) await keeper.leave();
  });

  it("plays a match with players who came in through different processes", async () => {
    const alice = await login();
    const { roomId } = await createRoomVia(b, alice.token);
    const host = new Player(await join(a.url, roomId, await ticketVia(b, roomId, {}, bearer(alice.token))));
    const guest = new Player(await join(b.url, roomId, await ticketVia(a, roomId, { username: "crosser" })));
    await waitFor(() => (host.room.state as any).players?.size === 2);
    assert.equal((host.room.state as any).host, host.room.sessionId, "the creator hosts, whichever process issued the ticket");
    assert.equal((await host.next(ServerMessage.PlayerJoined)).nick, "crosser");
    await Promise.all([host.heartbeat(), guest.heartbeat()]);
    host.room.send(ClientMessage.StartMatch, {});
    const [mine, theirs] = await Promise.all([host.next(ServerMessage.GameStarted), guest.next(ServerMessage.GameStarted)]);
    assert.deepEqual([mine.startedAt, mine.target], [theirs.startedAt, theirs.target]);
    await guest.play(theirs.target, 2);
    const results = await host.next(ServerMessage.MatchResults, 10_000);
    assert.deepEqual(results.players.map((l: any) => [l.nick, l.placement]), [["crosser", 1], [`mp${alice.sub}`, 2]]);
    await Promise.all([host.leave(), guest.leave()]);
  });

  it("frees at once the presence of a player whose process crashed: its rooms count as gone", async () => {
    const carol = await login();
    const host = await login();
    const target = await createRoomVia(a, host.token);
    const targetHost = await hostOf(target.roomId);
    // The victim's room must live on the other process: create rooms until one lands there.
    let victimRoom = target.roomId;
    for (let i = 0; i < 8 && (await hostOf(victimRoom)) === targetHost; i++) {
      victimRoom = (await createRoomVia(i % 2 ? a : b, host.token)).roomId;
    }
    assert.notEqual(await hostOf(victimRoom), targetHost, "rooms spread over both processes");
    const keeper = await join(a.url, target.roomId, await ticketVia(a, target.roomId, { username: "keeper3" }));
    const victim = await join(a.url, victimRoom, await ticketVia(b, victimRoom, {}, bearer(carol.token)));
    victim.reconnection.enabled = false;
    const [crashed, survivor] = (await hostOf(victimRoom)) === a.processId ? [a, b] : [b, a];
    await stop(crashed, "SIGKILL");
    const ticket = await post(`${survivor.url}/getTicket/${target.roomId}`, {}, bearer(carol.token));
    assert.equal(ticket.status, 200, `the dead room's presence no longer blocks a new ticket: ${JSON.stringify(ticket.body)}`);
    const back = await join(survivor.url, target.roomId, await ticketVia(survivor, target.roomId, {}, bearer(carol.token)));
    await back.leave();
    await keeper.leave();
  });
});
