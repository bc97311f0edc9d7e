import { ClientState, type AuthContext } from "@colyseus/core";
import { ClientMessage, RoomCloseCode, ServerMessage, type GameMode, type RoomCloseReason, type TicketClaims } from "@arena/shared";
import { chatSchema, heartbeatSchema, readySchema, startMatchSchema } from "@arena/shared/match/match-messages";
import { resolveSkinId } from "@arena/shared/progression/skins";
import { z } from "zod";
import { roomSettingsFrom, type RoomSettings } from "./game-room-settings.ts";
import { assignSizedState, GameState, PlayerState } from "./game-state.ts";
import { GuardedRoom } from "./guarded-room.ts";
import { admitTicket, takeSeat } from "./room-admission.ts";
import type { GameClient, RoomContext } from "./room-context.ts";
import type { PresenceHolder } from "../stores/presence-store.ts";
import { roomError } from "./room-errors.ts";
import type { PlayerGameView } from "../game/game-controller.ts";
import { MatchController } from "../match/match-controller.ts";
import { gameStartSchema, pointSchema, submitSchema } from "@arena/shared/rules/game-messages";

/** Matchmaking metadata of a game room (read by GET /rooms, ticket issuing, any process). */
export interface GameRoomMetadata {
  code: string;
  mode: GameMode;
  /** Accounts only (no guests); results are saved in any room. */
  ranked: boolean;
  /** Guests may get tickets: false in a ranked room. */
  allowGuests: boolean;
  maxPlayers: number;
}

/** Who sits in a seat; kept server-side only (never synced). */
interface Seat {
  sub: string;
  nick: string;
  guest: boolean;
  /** The presence this seat took (and alone refreshes and releases). */
  presence: PresenceHolder;
}

const pingSchema = z.object({ t: z.number() });

/**
 * The "game" room: a thin authority over seats. Admission by room ticket (static onAuth, then
 * single presence and capacity checked atomically on join), reconnection within
 * RECONNECT_WINDOW keeping seat and presence, message rate/size/shape limits. The rounds
 * (docs/match.md) live in a MatchController, the games in its GameController; the room only
 * validates each message and delegates.
 */
export class GameRoom extends GuardedRoom<{ state: GameState; metadata: GameRoomMetadata; client: GameClient }> {
  /** Set by {@link bindGameRoom}. */
  protected ctx!: RoomContext;
  /** Set by {@link bindGameRoom}. */
  protected settings!: RoomSettings;
  private readonly seats = new Map<string, Seat>();
  private match: MatchController<GameClient> | undefined;
  private emptySince = 0;
  /**
   * Game views not yet in the synced state, by sessionId: a view that differs only in score and
   * points (what every accepted point changes) waits for the next patch ({@link onBeforePatch}),
   * so the state is written once per patch, not once per point; the player already has each
   * point's answer as a message. Any other change (start, end, burst) is written at once.
   */
  private readonly unpublished = new Map<string, PlayerGameView>();

  override async onCreate(rawOptions: unknown) {
    const { config, log } = this.ctx;
    this.emptySince = this.ctx.now();
    const options = this.settings.options.parse(rawOptions);
    await this.ctx.keys.create(this.roomId);
    const code = await this.ctx.codes.reserve(this.roomId);
    // Capacity is enforced by seats in onJoin so a full room answers ROOM_FULL, not "locked".
    this.maxClients = options.maxPlayers * 2 + 2;
    // Colyseus would dispose a room nobody joined within 15 s; a room made by POST /rooms waits
    // for its players (codes are shared by hand), so emptiness is handled in refreshLeases.
    this.autoDispose = false;
    this.maxMessagesPerSecond = config.MAX_MESSAGES_PER_SECOND;
    assignSizedState(options.maxPlayers, () => (this.state = new GameState({ mode: options.mode, ranked: options.ranked, code, solo: options.maxPlayers === 1 })));
    await this.setMatchmaking({
      metadata: { code, mode: options.mode, ranked: options.ranked, allowGuests: options.allowGuests && !options.ranked, maxPlayers: options.maxPlayers },
      private: options.private,
    });
    this.clock.setInterval(() => void this.refreshLeases(), (config.PRESENCE_TTL * 1000) / 3);

    const now = this.ctx.now;
    const roomLog = log.child({ roomId: this.roomId });
    // Bound methods rather than arrow functions: under tsx (esbuild keepNames) every named arrow
    // function also gets its own `name` property, ~300 B each in every room (docs/benchmarks.md).
    const send = this.sendCounted.bind(this);
    const match = new MatchController<GameClient>({
      roomCode: code,
      mode: options.mode,
      solo: options.maxPlayers === 1,
      createdBy: options.createdBy,
      settings: this.settings.match,
      game: {
        mode: options.mode,
        clock: this.clock,
        settings: this.settings.game,
        results: this.ctx.services.results,
        log: roomLog,
        now,
        send,
        publish: this.publishGame.bind(this),
      },
      clock: this.clock,
      now,
      records: this.ctx.services.results,
      log: roomLog,
      state: { room: this.patchRoom.bind(this), player: this.patchPlayer.bind(this) },
      send,
      broadcast: this.broadcastCounted.bind(this),
      close: this.closeRoom.bind(this),
    });
    this.match = match;

    // Colyseus validates these three itself (a malformed one removes the client, docs/game.md).
    this.onMessage(ClientMessage.GameStart, gameStartSchema, (client, message) => (match.touch(client), match.onGameStart(client, message)));
    this.onMessage(ClientMessage.Point, pointSchema, (client, message) => (match.touch(client), match.onPoint(client, message)));
    this.onMessage(ClientMessage.Submit, submitSchema, (client, message) => {
      match.touch(client);
      match.onSubmit(client, message).catch((err) => log.error({ err, roomId: this.roomId }, "submission failed"));
    });
    this.onMessage(ClientMessage.Ping, pingSchema, (client, message) => {
      match.touch(client);
      match.sampleClock(client, message.t);
      client.send(ServerMessage.Pong, { t: message.t, serverTime: now() });
    });
    // The match messages answer a malformed payload with an error and leave the client seated.
    this.handle(ClientMessage.StartMatch, startMatchSchema, (client) => match.onStartMatch(client));
    this.handle(ClientMessage.Ready, readySchema, (client, message) => match.onReady(client, message));
    this.handle(ClientMessage.Chat, chatSchema, (client, message) => match.onChat(client, message));
    this.handle(ClientMessage.Heartbeat, heartbeatSchema, (client, message) => match.onHeartbeat(client, message));
    this.onMessage("*", (client, type) => {
      match.touch(client);
      this.refuse(client, String(type), "unknown message type");
    });

    log.info({ roomId: this.roomId, code, ...options }, "room created");
  }

  /** Applies the game views published since the last patch (Colyseus calls this before each patch). */
  override onBeforePatch() {
    if (this.unpublished.size === 0) return;
    for (const [sessionId, view] of this.unpublished) {
      const player = this.state.players.get(sessionId);
      if (player) Object.assign(player, view);
    }
    this.unpublished.clear();
  }

  private sendCounted(client: GameClient, type: ServerMessage, payload: unknown): void {
    this.ctx.metrics.sent(type);
    client.send(type, payload);
  }

  private broadcastCounted(type: ServerMessage, payload: unknown): void {
    this.ctx.metrics.sent(type);
    this.broadcast(type, payload);
  }

  private patchRoom(patch: Partial<GameState>): void {
    Object.assign(this.state, patch);
  }

  private patchPlayer(sessionId: string, patch: Partial<PlayerState>): void {
    const player = this.state.players.get(sessionId);
    if (player) Object.assign(player, patch);
  }

  private publishGame({ sessionId }: GameClient, view: PlayerGameView): void {
    const player = this.state.players.get(sessionId);
    if (!player) return;
    if (player.status === view.status && player.endsAt === view.endsAt && player.bursts === view.bursts && player.flagged === view.flagged) {
      this.unpublished.set(sessionId, view);
      return;
    }
    this.unpublished.delete(sessionId);
    Object.assign(player, view);
  }

  override async onJoin(client: GameClient) {
    const auth = client.auth as TicketClaims;
    if (this.seats.size >= this.metadata.maxPlayers) throw roomError("ROOM_FULL");
    // The seat is taken with the presence: exactly one of several racing joins of one ticket (or
    // one identity) wins it; the others learn who holds it. onAuth's check is only a pre-check.
    const presence: PresenceHolder = { roomId: this.roomId, jti: auth.jti, seat: client.sessionId };
    await takeSeat(this.ctx, auth, presence);
    if (this.seats.size >= this.metadata.maxPlayers) {
      await this.ctx.presence.release(auth.sub, presence);
      throw roomError("ROOM_FULL");
    }
    // A client that hung up meanwhile has already been through onLeave (Colyseus answers "early_leave").
    if (client.state === ClientState.LEAVING) {
      await this.ctx.presence.release(auth.sub, presence);
      return;
    }
    this.seats.set(client.sessionId, { sub: auth.sub, nick: auth.nick, guest: auth.guest, presence });
    this.state.players.set(client.sessionId, new PlayerState({ nick: auth.nick, guest: auth.guest, connected: true, skin: resolveSkinId(auth.skin) }));
    this.match?.onJoin(client);
  }

  override onDrop(client: GameClient) {
    if (!this.seats.has(client.sessionId)) return;
    this.setConnected(client.sessionId, false);
    this.match?.onDrop(client);
    this.allowReconnection(client, this.ctx.config.RECONNECT_WINDOW).catch(() => {});
  }

  /** A reconnection token reclaims only a dropped seat: a connected client is never kicked by it (Colyseus would). */
  override checkReconnectionToken(reconnectionToken: string): string {
    if (this.clients.some((c) => c.reconnectionToken === reconnectionToken)) throw roomError("SEAT_CONNECTED");
    return super.checkReconnectionToken(reconnectionToken);
  }

  override onReconnect(client: GameClient) {
    this.setConnected(client.sessionId, true);
    this.match?.onReconnect(client);
  }

  override async onLeave(client: GameClient) {
    const seat = this.seats.get(client.sessionId);
    if (!seat) return;
    this.match?.onLeave(client);
    this.seats.delete(client.sessionId);
    this.unpublished.delete(client.sessionId);
    this.state.players.delete(client.sessionId);
    await this.releaseSeat(seat);
  }

  override async onDispose() {
    this.match?.onDispose();
    const seats = [...this.seats.values()];
    this.seats.clear();
    const { code } = this.metadata;
    await Promise.all([
      ...seats.map((seat) => this.releaseSeat(seat)),
      this.ctx.keys.delete(this.roomId),
      this.ctx.codes.release(code, this.roomId),
    ]).catch((err) => this.ctx.log.warn({ err, roomId: this.roomId }, "room cleanup failed"));
    this.ctx.log.info({ roomId: this.roomId, code }, "room disposed");
  }

  /** A match message: zod-checked here; a malformed one is answered VALIDATION_FAILED, never a crash. */
  private handle<T>(type: ClientMessage, schema: z.ZodType<T>, handler: (client: GameClient, message: T) => void): void {
    this.onMessage(type, (client: GameClient, raw: unknown) => {
      this.match?.touch(client);
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return this.refuse(client, type, parsed.error.issues.map((i) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; "));
      handler(client, parsed.data);
    });
  }

  /** Answers a malformed or unknown message with VALIDATION_FAILED (warn, no stack). */
  private refuse(client: GameClient, type: string, reason: string): void {
    this.ctx.log.warn({ roomId: this.roomId, sessionId: client.sessionId, type, reason }, "room message refused");
    client.send(ServerMessage.Error, { code: "VALIDATION_FAILED", message: reason, type });
  }

  /** Tells everyone why, then closes every socket with the reason's code and disposes the room. */
  private async closeRoom(reason: RoomCloseReason): Promise<void> {
    this.ctx.log.info({ roomId: this.roomId, code: this.metadata.code, reason }, "room closing");
    this.broadcast(ServerMessage.RoomClosing, { reason, code: RoomCloseCode.Idle });
    await this.disconnect(RoomCloseCode.Idle);
  }

  private setConnected(sessionId: string, connected: boolean): void {
    const player = this.state.players.get(sessionId);
    if (player) player.connected = connected;
  }

  private async releaseSeat(seat: Seat): Promise<void> {
    await this.ctx.presence.release(seat.sub, seat.presence);
    if (seat.guest) await this.ctx.nicknames.release(this.roomId, seat.nick, seat.sub);
  }

  /** Keeps this room's presences, guest nicknames, key and code alive; disposes a room left empty. */
  private async refreshLeases(): Promise<void> {
    const { config, log } = this.ctx;
    const seats = [...this.seats.values()];
    try {
      await Promise.all([
        this.ctx.presence.refresh(seats.map((seat) => [seat.sub, seat.presence] as const)),
        this.ctx.nicknames.refresh(this.roomId, seats.filter((s) => s.guest).map((s) => [s.nick, s.sub] as const), config.TICKET_TTL * 1000),
        this.ctx.keys.refresh(this.roomId),
        this.ctx.codes.refresh(this.metadata.code, this.roomId),
      ]);
    } catch (err) {
      log.warn({ err, roomId: this.roomId }, "lease refresh failed");
    }
    if (seats.length > 0 || this.clients.length > 0) this.emptySince = this.ctx.now();
    else if (this.ctx.now() - this.emptySince > config.EMPTY_ROOM_TIMEOUT * 1000) void this.disconnect();
  }
}

/** The room class bound to its dependencies (static onAuth cannot reach an instance). */
export function bindGameRoom(ctx: RoomContext): typeof GameRoom {
  const settings = roomSettingsFrom(ctx.config);
  return class BoundGameRoom extends GameRoom {
    static override async onAuth(token: string, _options: unknown, auth: AuthContext): Promise<TicketClaims> {
      return admitTicket(ctx, token, auth);
    }
    protected override ctx = ctx;
    protected override settings = settings;
  };
}
