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

import { clientNow, type RoomClock } from "./room-clock.ts";

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
  connection(state: "reconnecting" | "connected" | "left"): void;
}

/**
 * One player's game in a room, speaking the game protocol (docs/game.md): game_start (or the host's round
 * start) → start token; points → point tokens; end_game → end token; submit → result.
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
  /** This page sent game_start and anchored the game on its own clock. */
  #ownStart = false;

  constructor(
    private readonly room: Room,
    private readonly clock: RoomClock,
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
    room.onMessage("*", () => {});
    room.onDrop(() => events.connection("reconnecting"));
    room.onReconnect(() => events.connection("connected"));
    room.onLeave(() => events.connection("left"));
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

  /** A lone player's game_start: the game starts at once, anchored on this page's clock. */
  start(): void {
    this.#sessionId = null;
    this.#ownStart = true;
    this.#clientStartTs = clientNow();
    this.room.send(ClientMessage.GameStart, { clientTs: this.#clientStartTs });
  }

  /** After a reload the page has no anchor of its own: the round's start on the room clock is it. */
  anchor(serverStartedAt: number): void {
    if (this.#clientStartTs === 0 && serverStartedAt > 0) this.#clientStartTs = this.clock.toClient(serverStartedAt);
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
    // A round the host started begins at the room's instant, which the room maps to this page's clock the same way.
    if (!this.#ownStart) this.#clientStartTs = this.clock.toClient(s.startedAt);
    this.#ownStart = false;
    this.#endToken = null;
    this.#points = [];
    this.#submitted = false;
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
    if (r.status === "running" && r.endsAt !== null && this.#mode !== "steps") this.#endsAtClient = this.clock.toClient(r.endsAt);
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
