import { generateKeyPairSync, randomUUID } from "node:crypto";
import { Client, type Room } from "@colyseus/sdk";
import { MemorySessionStore, RoomName, type SessionStore } from "@arena/shared";
import { RedisSessionStore } from "@arena/shared/session/redis-session-store";
import { signIdentityToken, type SigningKey } from "@arena/shared/tokens/identity-token";
import { pino } from "pino";
import { loadConfig, type GameServerConfig } from "../src/config.ts";
import { startGameServer, type RunningGameServer } from "../src/server.ts";

export const REDIS_URL = process.env.REDIS_URL || undefined;

/** A fresh ES256 identity key, as the backend would hold it. */
export function identityKeyPair(kid = "test-key"): { signing: SigningKey; resolve: (kid: string) => import("node:crypto").KeyObject | undefined } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { signing: { kid, privateKey }, resolve: (k) => (k === kid ? publicKey : undefined) };
}

/** Env for a test server: port 0, silent logs, Redis (unique prefix) when REDIS_URL is set. */
export function testEnv(prefix: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
  // Every test client is 127.0.0.1 and a few accounts make every room: request budgets are lifted
  // unless a test sets them (room-routes-budget.test.ts).
  return { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", NODE_ENV: "test", REDIS_URL, REDIS_KEY_PREFIX: prefix, TICKET_RATE_LIMIT: "1000000", ROOM_CREATE_RATE_LIMIT: "1000000", ...extra };
}

export interface TestServer {
  config: GameServerConfig;
  running: RunningGameServer;
  url: string;
  sessions: SessionStore;
  /** A logged-in player's identity JWT (its session is put in the shared store). */
  login(sub?: string, nick?: string): Promise<{ token: string; sid: string; sub: string }>;
  signing: SigningKey;
  close(): Promise<void>;
}

/**
 * Starts the real game server in-process with an injected identity key and session store;
 * `now` is the clock of the server, its session store and the identity tokens `login` signs.
 */
export async function startTestServer(extra: Record<string, string> = {}, options: { now?: () => number } = {}): Promise<TestServer> {
  const prefix = `test:${randomUUID()}:`;
  const config = loadConfig(testEnv(prefix, extra));
  const keys = identityKeyPair();
  const now = options.now ?? Date.now;
  const sessions: SessionStore = REDIS_URL ? new RedisSessionStore(REDIS_URL, `${prefix}session:`, now) : new MemorySessionStore(now);
  const running = await startGameServer(config, { identityKeys: keys.resolve, sessions, log: pino({ level: "silent" }), now });
  let users = 0;
  return {
    config,
    running,
    url: running.url,
    sessions,
    signing: keys.signing,
    async login(sub = String(1000 + ++users), nick = `player${sub}`) {
      const sid = randomUUID();
      await sessions.put(sid, { userId: sub, expiresAt: now() + 3_600_000 });
      const token = signIdentityToken({ sub, nick, sid, role: "player" }, keys.signing, {
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        ttlSeconds: 900,
        now: Math.floor(now() / 1000),
      });
      return { token, sid, sub };
    },
    async close() {
      await running.close();
      await sessions.close();
    },
  };
}

/** POST helper answering `{status, body}`. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

export async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, body: (await response.json().catch(() => null)) as any };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Creates a room through POST /rooms as `token`'s player. */
export async function createRoom(server: TestServer, token: string, options: Record<string, unknown> = {}) {
  const res = await post(`${server.url}/rooms`, { mode: "classic", ranked: false, allowGuests: true, maxPlayers: 4, ...options }, bearer(token));
  if (res.status !== 201) throw new Error(`createRoom: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { roomId: string; code: string };
}

export async function playerTicket(server: TestServer, roomId: string, token: string): Promise<string> {
  const res = await post(`${server.url}/getTicket/${roomId}`, {}, bearer(token));
  if (res.status !== 200) throw new Error(`playerTicket: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.ticket;
}

export async function guestTicket(server: TestServer, roomId: string, username: string): Promise<string> {
  const res = await post(`${server.url}/getTicket/${roomId}`, { username });
  if (res.status !== 200) throw new Error(`guestTicket: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.ticket;
}

/** Joins `roomId` with `ticket` through a real SDK client. */
export async function join(url: string, roomId: string, ticket: string): Promise<Room> {
  const client = new Client(url);
  client.auth.token = ticket;
  const room = await client.joinById(roomId);
  room.onMessage("*", () => {}); // game messages are not this suite's concern
  return room;
}

/** The numeric code a join attempt was refused with. */
export async function refusal(promise: Promise<unknown>): Promise<number> {
  try {
    const room = (await promise) as Room;
    await room.leave().catch(() => {});
  } catch (err) {
    return (err as { code: number }).code;
  }
  throw new Error("expected the join to be refused");
}

export const waitFor = async (check: () => boolean | Promise<boolean>, timeoutMs = 5_000, stepMs = 20) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, stepMs));
  }
};

export { RoomName };
