import { randomInt } from "node:crypto";
import { isErrorCode, ServerMessage, type GameMode, type TicketClaims } from "@arena/shared";
import {
  acceptPoint,
  createSession,
  currentScore,
  endSession,
  EndReason,
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
import { flatRandomUUID } from "./flat-uuid.ts";
import { createRoomGameTokens } from "./room-game-tokens.ts";
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

/** The public, synced view of a player's game: its scoring facts. */
export interface PlayerGameView {
  score: number;
  status: GameStatus;
  /** Server epoch ms after which no point counts (0 when none). */
  endsAt: number;
  /** Accepted points. */
  points: number;
  /** Bursts the anti-cheat counted. */
  bursts: number;
  /** Stopped by the burst anti-cheat. */
  flagged: boolean;
}

/** What the controller tells its room's match about (game-server/src/match). */
export interface GameEvents {
  /** A player's game ended (timer, completed, timeout, anti-cheat, call-off). */
  ended(sub: string, session: GameSession): void;
  /** A player's submission for `sessionId` was judged; `saved`: accepted for the boards (stored or queued). */
  judged(sub: string, sessionId: string, saved: boolean): void;
}

/** How a round starts a player's game: the round's seed, at the round's instant. */
export interface RoundStart {
  round: number;
  /** The round's seed: every player of the round gets the same targets. */
  seed: number;
  /** Server ms the game starts at. */
  startsAt: number;
  /** The player's clock at `startsAt` (the reference of the timestamp checks). */
  clientStartTs: number;
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
  /** Told when games end and submissions are judged. */
  events?: GameEvents;
  /** Defaults: a fresh per-room token key, Date.now, a random UUID, a random 32-bit seed. */
  tokens?: GameTokens;
  now?: () => number;
  newId?: () => string;
  newSeed?: () => number;
}

interface PlayerGame<C> {
  client: C;
  session: GameSession;
  timer: TimerHandle | null;
  /** The room round the session belongs to (0: before any). */
  round: number;
}

/** A random 32-bit seed (the default of rounds and games). */
export const randomSeed = () => randomInt(0, 2 ** 32 - 1);

/**
 * The game of one room. Thin authority: each message is judged by the pure rules
 * (shared/src/rules), the returned session replaces the old one, and the outcome is
 * sent to the player. Tokens, seeds and the room key stay here, never in synced state.
 * Sessions are keyed by the ticket subject, so a reconnection (or a rejoin) keeps them.
 */
export class GameController<C extends PlayerClient> {
  private readonly players = new Map<string, PlayerGame<C>>();
  private signer: GameTokens | undefined;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly newSeed: () => number;
  private disposed = false;

  constructor(private readonly deps: GameControllerDeps<C>) {
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? flatRandomUUID;
    this.newSeed = deps.newSeed ?? randomSeed;
  }

  /** The room's token signer, made when first needed: a room where nobody plays holds no key. */
  private get tokens(): GameTokens {
    return (this.signer ??= this.deps.tokens ?? createRoomGameTokens());
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
    const game: PlayerGame<C> = { client, session: this.newSession(client), timer: null, round: 0 };
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

  /** game_start: a new session (if the last one ended) running now, with its start token; false if refused. */
  onGameStart(client: C, message: GameStartMessage, round = 0): boolean {
    const game = this.players.get(client.auth!.sub);
    if (!game) return false;
    if (game.session.status === GameStatus.Ended) game.session = this.newSession(client);
    return this.begin(game, message.clientTs, this.now(), round);
  }

  /** A round's game for this player: a fresh session on the round's seed, started at the round's instant. */
  startRoundGame(client: C, start: RoundStart): boolean {
    const game = this.players.get(client.auth!.sub);
    if (!game) return false;
    game.timer?.clear();
    game.client = client;
    game.session = createSession({ id: this.newId(), player: client.auth!.sub, mode: this.deps.mode, seed: start.seed, settings: this.deps.settings, nowMs: this.now() });
    return this.begin(game, start.clientStartTs, start.startsAt, start.round);
  }

  /** Ends a player's running game now for a reason of the room (call-off, abandoned): no end token. */
  stopGame(sub: string, reason: typeof EndReason.CalledOff | typeof EndReason.Abandoned): void {
    const game = this.players.get(sub);
    if (!game || game.session.status !== GameStatus.Running) return;
    this.settle(game, endSession(game.session, reason, this.now(), this.tokens));
  }

  /** The last client seen for a player (kept after they leave), or null. */
  clientOf(sub: string): C | null {
    return this.players.get(sub)?.client ?? null;
  }

  /** A player's current session (plain data), or null. */
  session(sub: string): GameSession | null {
    return this.players.get(sub)?.session ?? null;
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
      if (result.session.bursts.length !== before.bursts.length) this.publish(game);
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
      // A judged rejection is final for this session; a submission not due changes nothing.
      if (verdict.session.submitted && !session.submitted) this.deps.events?.judged(client.auth!.sub, session.id, false);
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
      this.deps.events?.judged(client.auth!.sub, session.id, false);
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
    this.deps.events?.judged(client.auth!.sub, session.id, delivery.delivered || delivery.queued);
  }

  /** Public view of a player's game (tests, the room). */
  view(sub: string): PlayerGameView | null {
    const game = this.players.get(sub);
    return game ? viewOf(game.session) : null;
  }

  /** Runs a waiting session from `startsAt`, arms its timer and sends `game_started`. */
  private begin(game: PlayerGame<C>, clientTs: number, startsAt: number, round: number): boolean {
    const started = startSession(game.session, clientTs, startsAt, this.tokens);
    if ("reject" in started) {
      this.deps.send(game.client, ServerMessage.Error, { code: started.reject, message: started.reject });
      return false;
    }
    game.session = started.session;
    game.round = round;
    this.arm(game);
    this.deps.send(game.client, ServerMessage.GameStarted, {
      sessionId: game.session.id,
      round,
      startToken: started.startToken,
      startedAt: startsAt,
      endsAt: game.session.endsAt,
      target: game.session.target,
    });
    this.publish(game);
    return true;
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
    this.deps.events?.ended(session.player, session);
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
    points: session.points.length,
    bursts: session.bursts.length,
    flagged: session.endReason === EndReason.BurstAbuse,
  };
}
