import { randomInt, randomUUID } from "node:crypto";
import { isErrorCode, ServerMessage, type GameMode, type TicketClaims } from "@arena/shared";
import {
  acceptPoint,
  createSession,
  currentScore,
  expireSession,
  GameStatus,
  isTimed,
  startSession,
  validateSubmission,
  type GameSession,
  type GameSettings,
  type GameStartMessage,
  type GameTokens,
  type PointMessage,
  type SubmitMessage,
} from "@arena/shared/rules/index";
import { createHmacGameTokens } from "./hmac-game-tokens.ts";
import { endGamePayload, resumePayload, welcomePayload } from "./game-payloads.ts";
import type { Delivery, GameLog } from "./results-outbox.ts";
import type { FlagBody, GameResultBody } from "./results-sink.ts";

/** The part of a Colyseus client the controller uses. */
export interface PlayerClient {
  sessionId: string;
  /** The verified ticket (always set once the room admitted the client). */
  auth?: Pick<TicketClaims, "sub" | "nick" | "guest">;
}

/** Where results and flags go (the {@link ResultsOutbox} in production). */
export interface ResultsPort {
  submitResult(body: GameResultBody): Promise<Delivery>;
  submitFlag(body: FlagBody): Promise<Delivery>;
}

/** The public, synced view of a player's game. */
export interface PlayerGameView {
  score: number;
  status: GameStatus;
  /** Server epoch ms after which no point counts (0 when none). */
  endsAt: number;
}

/** A timer handle (Colyseus `Delayed`). */
export interface TimerHandle {
  clear(): void;
}

export interface GameControllerDeps<C extends PlayerClient> {
  mode: GameMode;
  /** The room clock: timers die with the room. */
  clock: { setTimeout(handler: () => void, ms: number): TimerHandle };
  settings: GameSettings;
  results: ResultsPort;
  log: GameLog;
  send(client: C, type: ServerMessage, payload: unknown): void;
  /** Applies a player's public game fields to the synced state. */
  publish?(client: C, view: PlayerGameView): void;
  /** Defaults: a fresh per-room HMAC key, Date.now, randomUUID, a random 32-bit seed. */
  tokens?: GameTokens;
  now?: () => number;
  newId?: () => string;
  newSeed?: () => number;
}

interface PlayerGame<C> {
  client: C;
  session: GameSession;
  timer: TimerHandle | null;
}

/**
 * The game of one room. Thin authority: each message is judged by the pure rules
 * (shared/src/rules), the returned session replaces the old one, and the outcome is
 * sent to the player. Tokens, seeds and the room key stay here, never in synced state.
 * Sessions are keyed by the ticket subject, so a reconnection (or a rejoin) keeps them.
 */
export class GameController<C extends PlayerClient> {
  private readonly players = new Map<string, PlayerGame<C>>();
  private readonly tokens: GameTokens;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly newSeed: () => number;
  private disposed = false;

  constructor(private readonly deps: GameControllerDeps<C>) {
    this.tokens = deps.tokens ?? createHmacGameTokens();
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? randomUUID;
    this.newSeed = deps.newSeed ?? (() => randomInt(0, 2 ** 32 - 1));
  }

  /** Seats the player (keeping a session from an earlier seat) and sends the welcome. */
  onJoin(client: C): void {
    const existing = this.players.get(client.auth!.sub);
    if (existing) {
      existing.client = client;
      this.welcome(client);
      this.deps.send(client, ServerMessage.Resume, resumePayload(existing.session));
      this.publish(existing);
      return;
    }
    const game: PlayerGame<C> = { client, session: this.newSession(client), timer: null };
    this.players.set(client.auth!.sub, game);
    this.welcome(client);
    this.publish(game);
  }

  /** The socket dropped: the game (and its timer) carries on. */
  onDrop(_client: C): void {}

  /** Back within the reconnection window: the same session, its tokens and points. */
  onReconnect(client: C): void {
    const game = this.players.get(client.auth!.sub);
    if (!game) return this.onJoin(client);
    game.client = client;
    game.session = this.settle(game, expireSession(game.session, this.now(), this.tokens));
    this.welcome(client);
    this.deps.send(client, ServerMessage.Resume, resumePayload(game.session));
  }

  /** Left for good: the session stays until the room ends, so a rejoin resumes it. */
  onLeave(_client: C): void {}

  /** Stops every timer. */
  onDispose(): void {
    this.disposed = true;
    for (const game of this.players.values()) game.timer?.clear();
  }

  /** game_start: a new session (if the last one ended) running now, with its start token. */
  onGameStart(client: C, message: GameStartMessage): void {
    const game = this.players.get(client.auth!.sub);
    if (!game) return;
    if (game.session.status === GameStatus.Ended) game.session = this.newSession(client);
    const now = this.now();
    const started = startSession(game.session, message.clientTs, now, this.tokens);
    if ("reject" in started) return this.deps.send(client, ServerMessage.Error, { code: started.reject });
    game.session = started.session;
    this.arm(game);
    this.deps.send(client, ServerMessage.GameStarted, {
      sessionId: game.session.id,
      startToken: started.startToken,
      startedAt: now,
      endsAt: game.session.endsAt,
      target: game.session.target,
    });
    this.publish(game);
  }

  /** A point: accepted with its token (and the next target) or rejected with a code. */
  onPoint(client: C, message: PointMessage): void {
    const game = this.players.get(client.auth!.sub);
    if (!game) return;
    const now = this.now();
    const result = acceptPoint(game.session, message, now, this.tokens);
    const before = game.session;
    game.session = result.session;
    if ("reject" in result) {
      this.deps.send(client, ServerMessage.PointRejected, { code: result.reject, clientTs: message.clientTs });
    } else {
      this.deps.send(client, ServerMessage.PointAccepted, {
        token: result.token,
        n: result.n,
        serverTs: result.serverTs,
        clientTs: message.clientTs,
        score: currentScore(game.session),
        target: game.session.target ?? undefined,
      });
      this.publish(game);
    }
    if (before.status !== game.session.status) game.session = this.settle(game, game.session, before);
  }

  /** The final submission: judged once; an account's valid result goes to the backend exactly once. */
  async onSubmit(client: C, message: SubmitMessage): Promise<void> {
    const game = this.players.get(client.auth!.sub);
    if (!game) return;
    const session = game.session;
    const verdict = validateSubmission(session, message, this.tokens);
    game.session = verdict.session;
    // Answered for the session named (a stale resend is told about its own game, not the current one).
    const base = { sessionId: message.sessionId };
    if ("reject" in verdict) {
      this.deps.send(client, ServerMessage.Result, { ...base, accepted: false, saved: false, code: verdict.reject, reason: verdict.reason });
      if (verdict.flag) {
        const evidence = {
          sessionId: session.id,
          mode: session.mode,
          reason: verdict.reason,
          status: session.status,
          recordedPoints: session.points.length,
          submittedPoints: message.points.length,
          hasEndToken: Boolean(message.endToken),
        };
        this.flag(game, "SUBMISSION_REJECTED", evidence);
      }
      return;
    }
    const { result } = verdict;
    if (client.auth!.guest) {
      this.deps.send(client, ServerMessage.Result, { ...base, accepted: true, saved: false, score: result.score });
      return;
    }
    const delivery = await this.deps.results.submitResult({
      result_id: session.id,
      user_id: client.auth!.sub,
      mode: session.mode,
      score: result.score,
      points: result.points,
      started_at: new Date(result.startedAt).toISOString(),
      ended_at: new Date(result.endedAt).toISOString(),
    });
    const target = this.players.get(client.auth!.sub)?.client ?? client;
    // Not delivered and queued nowhere (refused for good, or no store could hold it): say so, with why.
    const stored = delivery.delivered
      ? { pending: false, board: delivery.body.board, newScore: delivery.body.new_score, rank: delivery.body.rank }
      : delivery.queued
        ? { pending: true }
        : { pending: false, code: isErrorCode(delivery.error) ? delivery.error : ("SERVICE_UNAVAILABLE" as const) };
    this.deps.send(target, ServerMessage.Result, { ...base, accepted: true, saved: delivery.delivered || delivery.queued, score: result.score, ...stored });
  }

  /** Public view of a player's game (tests, the room). */
  view(sub: string): PlayerGameView | null {
    const game = this.players.get(sub);
    return game ? viewOf(game.session) : null;
  }

  private newSession(client: C): GameSession {
    return createSession({
      id: this.newId(),
      player: client.auth!.sub,
      mode: this.deps.mode,
      seed: this.newSeed(),
      settings: this.deps.settings,
      nowMs: this.now(),
    });
  }

  /** Schedules the end on the room clock (re-armed if the clock fires a little early). */
  private arm(game: PlayerGame<C>): void {
    game.timer?.clear();
    const endsAt = game.session.endsAt;
    if (endsAt === null || this.disposed) return;
    game.timer = this.deps.clock.setTimeout(() => {
      game.timer = null;
      const before = game.session;
      game.session = this.settle(game, expireSession(before, this.now(), this.tokens), before);
      if (game.session.status === GameStatus.Running) this.arm(game);
    }, Math.max(1, endsAt - this.now()));
  }

  /** After a status change: stop the timer, send end_game (with the end token), raise the flag. */
  private settle(game: PlayerGame<C>, session: GameSession, before: GameSession = game.session): GameSession {
    if (session.status !== GameStatus.Ended || before.status === GameStatus.Ended) return session;
    game.session = session;
    game.timer?.clear();
    game.timer = null;
    this.deps.send(game.client, ServerMessage.EndGame, endGamePayload(session));
    this.publish(game);
    this.deps.log.info({ sessionId: session.id, player: session.player, reason: session.endReason, score: currentScore(session) }, "game ended");
    if (session.flag) this.flag(game, session.flag.reason, { ...session.flag });
    return session;
  }

  private flag(game: PlayerGame<C>, reason: string, evidence: Record<string, unknown>): void {
    const { log } = this.deps;
    if (game.client.auth!.guest) {
      log.warn({ player: game.session.player, reason, evidence }, "guest flagged (not sent: guests have no account)");
      return;
    }
    log.warn({ player: game.session.player, reason }, "player flagged for review");
    void this.deps.results
      .submitFlag({ flag_id: this.newId(), user_id: game.client.auth!.sub, reason, evidence })
      .catch((err) => log.error({ err }, "flag submission failed"));
  }

  private welcome(client: C): void {
    this.deps.send(client, ServerMessage.Welcome, welcomePayload(this.deps.mode, this.deps.settings, client.auth!.guest));
  }

  private publish(game: PlayerGame<C>): void {
    this.deps.publish?.(game.client, viewOf(game.session));
  }
}

function viewOf(session: GameSession): PlayerGameView {
  return {
    score: currentScore(session),
    status: session.status,
    endsAt: isTimed(session.mode) || session.status !== GameStatus.Running ? (session.endsAt ?? 0) : 0,
  };
}
