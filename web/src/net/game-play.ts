import type { Room } from "@colyseus/sdk";
import type { ErrorCode } from "@arena/shared/errors";
import { ClientMessage, type GameMode, ServerMessage } from "@arena/shared/protocol";
import type {
  EndGamePayload,
  GameStartedPayload,
  PointAcceptedPayload,
  PointRejectedPayload,
  ResultPayload,
  ResumePayload,
  WelcomePayload,
} from "@arena/shared/rules/game-messages";
import type { Target } from "@arena/shared/rules/mode-rules";

/** The page's clock for point timestamps: monotonic, in epoch ms. */
export const clientNow = (): number => Math.round(performance.timeOrigin + performance.now());

/** `result`, with what the backend answered when the score was stored at once. */
export type GameResult = ResultPayload & {
  /** The board the score went to. */
  board?: string;
  /** The player's new total (or best time) on that board. */
  newScore?: number;
  /** The player's rank on that board. */
  rank?: number;
  /** True when the backend was unreachable and the result waits in the outbox. */
  pending?: boolean;
};

/** A player in the room (from the synced room state). */
export interface RoomPlayer {
  nick: string;
  guest: boolean;
  connected: boolean;
  score?: number;
}

/** What the play view hears from {@link GamePlay}. */
export interface GamePlayEvents {
  welcome(welcome: WelcomePayload): void;
  started(): void;
  /** A new target, and the client time it appeared at (for the shaky motion). */
  target(target: Target | null, sinceClientMs: number): void;
  accepted(score: number, points: number): void;
  rejected(code: ErrorCode): void;
  ended(end: EndGamePayload): void;
  result(result: GameResult): void;
  players(players: RoomPlayer[], code: string): void;
  error(error: unknown): void;
  connection(state: "reconnecting" | "connected" | "left"): void;
}

/**
 * One player's seat in a game room, speaking the game protocol (docs/game.md): game_start →
 * start token; points → point tokens; end_game → end token; submit → result.
 * The server decides everything; this only keeps the tokens it was given.
 */
export class GamePlay {
  /** The game session the tokens belong to (a submission names it). */
  #sessionId: string | null = null;
  #startToken: string | null = null;
  #endToken: string | null = null;
  #points: { token: string; clientTs: number }[] = [];
  #clientStartTs = 0;
  #serverStartedAt = 0;
  #endsAtClient: number | null = null;
  #target: Target | null = null;
  #pendingTarget: number | null = null;
  #submitted = false;
  #mode: GameMode | null = null;

  private constructor(
    private readonly room: Room,
    private readonly events: GamePlayEvents,
  ) {
    room.onMessage(ServerMessage.Welcome, (w: WelcomePayload) => {
      this.#mode = w.mode;
      events.welcome(w);
    });
    room.onMessage(ServerMessage.GameStarted, (s: GameStartedPayload) => this.#onStarted(s));
    room.onMessage(ServerMessage.Target, (t: { target: Target } | Target) => this.#setTarget("target" in t ? t.target : t, clientNow()));
    room.onMessage(ServerMessage.PointAccepted, (p: PointAcceptedPayload) => this.#onAccepted(p));
    room.onMessage(ServerMessage.PointRejected, (p: PointRejectedPayload) => {
      this.#pendingTarget = null;
      events.rejected(p.code);
    });
    room.onMessage(ServerMessage.EndGame, (e: EndGamePayload) => this.#onEnded(e));
    room.onMessage(ServerMessage.Result, (r: GameResult) => events.result(r));
    room.onMessage(ServerMessage.Resume, (r: ResumePayload) => this.#onResume(r));
    room.onMessage(ServerMessage.Error, (e: unknown) => events.error(e));
    room.onMessage("*", () => {});
    room.onStateChange((state: unknown) => events.players(readPlayers(state), String((state as { code?: unknown } | null)?.code ?? "")));
    room.onError((code: number, message?: string) => events.error({ code, message }));
    room.onDrop(() => events.connection("reconnecting"));
    room.onReconnect(() => events.connection("connected"));
    room.onLeave(() => events.connection("left"));
  }

  /** Joins room `roomId` with a ticket (`client.auth.token`, checked by the room's onAuth). */
  static async join(gameServerUrl: string, roomId: string, ticket: string, events: GamePlayEvents): Promise<GamePlay> {
    // The SDK is most of the bundle's weight: loaded only when a player enters a room.
    const { Client } = await import("@colyseus/sdk");
    const client = new Client(gameServerUrl);
    client.auth.token = ticket;
    const room = await client.joinById(roomId);
    return new GamePlay(room, events);
  }

  get mode(): GameMode | null {
    return this.#mode;
  }
  get target(): Target | null {
    return this.#target;
  }
  /** Client time the game ends at (timed modes), or null. */
  get endsAtClient(): number | null {
    return this.#endsAtClient;
  }
  get clientStartTs(): number {
    return this.#clientStartTs;
  }
  get pointCount(): number {
    return this.#points.length;
  }

  start(): void {
    this.#sessionId = null;
    this.#startToken = null;
    this.#endToken = null;
    this.#points = [];
    this.#submitted = false;
    this.#clientStartTs = clientNow();
    this.room.send(ClientMessage.GameStart, { clientTs: this.#clientStartTs });
  }

  /** Reports a hit on the current target at field coordinates (x, y). One at a time per target. */
  hit(x: number, y: number): void {
    const target = this.#target;
    if (!target || this.#pendingTarget === target.index) return;
    this.#pendingTarget = target.index;
    this.room.send(ClientMessage.Point, { clientTs: clientNow(), target: target.index, x, y });
  }

  /** Sends the end-of-game submission once: session id, start token, end token, point tokens. */
  submit(): void {
    if (this.#submitted || !this.#startToken || !this.#sessionId) return;
    this.#submitted = true;
    this.room.send(ClientMessage.Submit, { sessionId: this.#sessionId, startToken: this.#startToken, endToken: this.#endToken, points: this.#points });
  }

  leave(): void {
    void this.room.leave(true).catch(() => {});
  }

  #onStarted(s: GameStartedPayload): void {
    this.#sessionId = s.sessionId;
    this.#startToken = s.startToken;
    this.#serverStartedAt = s.startedAt;
    this.#endsAtClient = this.#mode === "steps" ? null : this.#clientStartTs + (s.endsAt - s.startedAt);
    this.events.started();
    this.#setTarget(s.target, this.#clientStartTs);
  }

  #onAccepted(p: PointAcceptedPayload): void {
    this.#points.push({ token: p.token, clientTs: p.clientTs });
    this.#pendingTarget = null;
    this.events.accepted(p.score, this.#points.length);
    if (p.target) this.#setTarget(p.target, this.#toClientTime(p.serverTs));
  }

  #onEnded(e: EndGamePayload): void {
    this.#sessionId = e.sessionId;
    this.#endToken = e.endToken ?? null;
    this.#endsAtClient = null;
    this.#setTarget(null, clientNow());
    this.events.ended(e);
    if (e.endToken) this.submit();
  }

  /** After a reconnection (or a rejoin): carry on with the server's copy of the session. */
  #onResume(r: ResumePayload): void {
    this.#sessionId = r.sessionId;
    this.#startToken = r.startToken;
    this.#endToken = r.endToken;
    this.#points = r.points.map((p) => ({ token: p.token, clientTs: p.clientTs }));
    // Server and page clocks are both epoch ms; without the original anchor this is the best guess.
    if (r.status === "running" && r.endsAt !== null && this.#mode !== "steps") this.#endsAtClient = r.endsAt;
    this.events.accepted(r.score, this.#points.length);
    if (r.status === "running") this.events.started();
    this.#setTarget(r.target, clientNow());
  }

  #setTarget(target: Target | null, sinceClientMs: number): void {
    this.#target = target;
    this.events.target(target, sinceClientMs);
  }

  /** Server time → this page's clock, anchored at game_start (the server does the same). */
  #toClientTime(serverTs: number): number {
    return this.#clientStartTs + (serverTs - this.#serverStartedAt);
  }
}

function readPlayers(state: unknown): RoomPlayer[] {
  const players = (state as { players?: { forEach?(cb: (value: RoomPlayer, key: string) => void): void } } | null)?.players;
  const list: RoomPlayer[] = [];
  players?.forEach?.((value) => list.push({ nick: value.nick, guest: value.guest, connected: value.connected, score: value.score }));
  return list;
}
