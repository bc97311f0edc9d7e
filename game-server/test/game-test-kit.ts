import { generateKeyPairSync } from "node:crypto";
import type { Room } from "@colyseus/sdk";
import { ServerMessage, type ServerMessage as ServerMessageType } from "@arena/shared";
import { ClientMessage } from "@arena/shared";
import { fakeBackend } from "./game-fake-backend.ts";
import { createRoom, guestTicket, join, playerTicket, startTestServer, type TestServer } from "./test-server.ts";

/** Short game thresholds for room tests (the rules' own tests cover the arithmetic). */
export const GAME_TEST_ENV = {
  GAME_DURATION_MS: "1500",
  STEPS_COUNT: "3",
  BURST_WINDOW_MS: "300",
  BURST_MAX_POINTS: "4",
  BURST_LIMIT: "1",
  BURST_PERIOD_MS: "5000",
  LATENCY_ALLOWANCE_MS: "400",
  MAX_MESSAGES_PER_SECOND: "1000",
  RECONNECT_WINDOW: "10",
  MATCH_COUNTDOWN_MS: "300",
  MATCH_SUBMIT_GRACE_MS: "1000",
  MATCH_RESULTS_MS: "500",
};

export interface GameWorld {
  server: TestServer;
  backend: ReturnType<typeof fakeBackend>;
  close(): Promise<void>;
}

/** The real game server wired to a fake backend that verifies the service credential. */
export async function startGameWorld(extra: Record<string, string> = {}, options: { now?: () => number } = {}): Promise<GameWorld> {
  const keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const backend = fakeBackend(keys.publicKey.export({ type: "spki", format: "pem" }).toString(), options.now);
  const backendUrl = await backend.listen();
  const server = await startTestServer({
    ...GAME_TEST_ENV,
    BACKEND_URL: backendUrl,
    SERVICE_PRIVATE_KEY: keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    OUTBOX_RETRY_BASE_MS: "50",
    OUTBOX_RETRY_MAX_MS: "200",
    ...extra,
  }, options);
  return {
    server,
    backend,
    async close() {
      await server.close();
      await backend.close();
    },
  };
}

/** A real SDK client in a game room that records every server message. */
export class Player {
  readonly inbox: { type: string; payload: any }[] = [];
  private cursor = new Map<string, number>();
  private wakers: (() => void)[] = [];
  constructor(readonly room: Room) {
    for (const type of Object.values(ServerMessage)) {
      room.onMessage(type, (payload: any) => {
        this.inbox.push({ type, payload });
        this.wakers.splice(0).forEach((wake) => wake());
      });
    }
  }

  /** Resolves as soon as `check` holds (re-checked on every message), or fails after the timeout. */
  private until(check: () => boolean, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no such message in time")), timeoutMs);
      const test = () => {
        if (check()) {
          clearTimeout(timer);
          resolve();
        } else this.wakers.push(test);
      };
      test();
    });
  }

  /** The n-th message of a type (waits for it), by default the next one not yet taken. */
  async next(type: ServerMessageType, timeoutMs = 5000): Promise<any> {
    const index = this.cursor.get(type) ?? 0;
    await this.until(() => this.all(type).length > index, timeoutMs);
    this.cursor.set(type, index + 1);
    return this.all(type)[index];
  }

  all(type: ServerMessageType): any[] {
    return this.inbox.filter((m) => m.type === type).map((m) => m.payload);
  }

  start(clientTs = Date.now()) {
    this.room.send(ClientMessage.GameStart, { clientTs });
    return this.next(ServerMessage.GameStarted);
  }

  /** Sends a heartbeat with this page's clock and waits until the room has handled it (a ping behind it answered). */
  async heartbeat(clientTs = Date.now()) {
    this.room.send(ClientMessage.Heartbeat, { clientTs });
    this.room.send(ClientMessage.Ping, { t: clientTs });
    await this.next(ServerMessage.Pong);
  }

  /** Sends a message and waits until the room has handled it. */
  async sendAndSettle(type: string, payload: unknown) {
    this.room.send(type, payload);
    this.room.send(ClientMessage.Ping, { t: Date.now() });
    await this.next(ServerMessage.Pong);
  }

  /** Sends a hit on `target`'s resting centre; answers the point_accepted or point_rejected. */
  async hit(target: { index: number; x: number; y: number }, clientTs = Date.now(), overrides: Record<string, unknown> = {}) {
    const before = this.all(ServerMessage.PointAccepted).length + this.all(ServerMessage.PointRejected).length;
    this.room.send(ClientMessage.Point, { clientTs, target: target.index, x: target.x, y: target.y, ...overrides });
    await this.until(() => this.all(ServerMessage.PointAccepted).length + this.all(ServerMessage.PointRejected).length > before);
    const last = this.inbox.filter((m) => m.type === ServerMessage.PointAccepted || m.type === ServerMessage.PointRejected).at(-1)!;
    return { accepted: last.type === ServerMessage.PointAccepted, ...last.payload };
  }

  /** Plays `count` honest hits `gapMs` apart; returns the accepted payloads. */
  async play(firstTarget: any, count: number, gapMs = 90) {
    const accepted: any[] = [];
    let target = firstTarget;
    for (let i = 0; i < count; i++) {
      const r = await this.hit(target);
      if (!r.accepted) throw new Error(`honest hit rejected: ${r.code}`);
      accepted.push(r);
      target = r.target;
      if (!target) break;
      if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
    return accepted;
  }

  submit(payload: unknown) {
    this.room.send(ClientMessage.Submit, payload);
    return this.next(ServerMessage.Result);
  }

  leave() {
    return this.room.leave().catch(() => 0);
  }
}

/** A room of `mode` with a logged-in player (and optionally a guest) seated in it. */
export async function seat(world: GameWorld, mode = "classic", options: { guest?: boolean; ranked?: boolean } = {}) {
  const owner = await world.server.login();
  const { roomId } = await createRoom(world.server, owner.token, { mode, allowGuests: true, ranked: options.ranked ?? false });
  const player = new Player(await join(world.server.url, roomId, await playerTicket(world.server, roomId, owner.token)));
  const guest = options.guest ? new Player(await join(world.server.url, roomId, await guestTicket(world.server, roomId, `guest${Math.floor(Math.random() * 1e6)}`))) : undefined;
  return { roomId, owner, player, guest };
}

/** The honest submission from the messages a player received (for the session `started` began). */
export function honestSubmission(started: any, accepted: any[], endToken: string | undefined) {
  return { sessionId: started.sessionId, startToken: started.startToken, endToken, points: accepted.map((p) => ({ token: p.token, clientTs: p.clientTs })) };
}

/**
 * One round played together: everyone heartbeats (the room needs their clocks), the host sends
 * start_match, each player gets game_started, scores `points[i]` honest hits and waits for its end.
 */
export async function playRound(host: Player, players: Player[], points: number[] = players.map(() => 1)) {
  await Promise.all(players.map((p) => p.heartbeat()));
  host.room.send(ClientMessage.StartMatch, {});
  return Promise.all(
    players.map(async (player, i) => {
      const started = await player.next(ServerMessage.GameStarted);
      const accepted = points[i] > 0 ? await player.play(started.target, points[i]) : [];
      const end = await player.next(ServerMessage.EndGame);
      return { started, accepted, end, honest: honestSubmission(started, accepted, end.endToken) };
    }),
  );
}
