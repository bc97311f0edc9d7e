import { randomUUID } from "node:crypto";
import { CallOffReason, MatchPhase, RoomCloseReason, ServerMessage, type ErrorCode } from "@arena/shared";
import { MatchOutcome } from "@arena/shared/contracts/internal-api";
import {
  backToLobby, beginRunning, callOffRound, callsOff, chooseHost, finishRound, initialFlow, isRoomIdle,
  roundUnderway, startLoneRound, startRound, type MatchFlow,
} from "@arena/shared/match/match-flow";
import type { ChatMessage, HeartbeatMessage, ReadyMessage } from "@arena/shared/match/match-messages";
import { EndReason, GameStatus, isTimed, type GameSession, type GameStartMessage, type PointMessage, type SubmitMessage } from "@arena/shared/rules/index";
import { GameController, randomSeed, type GameEvents, type PlayerClient, type TimerHandle } from "../game/game-controller.ts";
import type { Delivery } from "../game/results-outbox.ts";
import { ChatLog } from "./chat-log.ts";
import type { MatchControllerDeps } from "./match-ports.ts";
import { matchRecordBody, placeLines, resultLines, type RoundLine } from "./match-record.ts";
import { SeatRoster } from "./seat-roster.ts";

export type { MatchControllerDeps, MatchRecordsPort, MatchSettings, MatchStatePort } from "./match-ports.ts";

/** A finished round waiting for its submissions before its record goes out. */
interface PendingRecord {
  matchId: string;
  round: number;
  startedAt: number;
  endedAt: number;
  lines: RoundLine[];
  timer: TimerHandle;
}

/**
 * The rounds of one room (docs/match.md): host, countdown, same-seed start, end and placements,
 * presence and call-off, chat, idle close. Each decision is a pure rule (shared/src/match,
 * shared/src/rules/chat.ts); this applies it to the state, the timers and the players. The
 * games themselves are the {@link GameController}'s.
 */
export class MatchController<C extends PlayerClient & { auth?: { sub: string; nick: string; guest: boolean } }> implements GameEvents {
  readonly game: GameController<C>;
  private flow: MatchFlow = initialFlow();
  private readonly seats = new SeatRoster<C>();
  private readonly chat: ChatLog;
  private readonly newId: () => string;
  private readonly newSeed: () => number;
  private creatorSeated = false;
  private lastActivityAt: number;
  private countdown: TimerHandle | null = null;
  /** results → lobby. */
  private lobbyTimer: TimerHandle | null = null;
  private pending: PendingRecord | null = null;
  private readonly timers: TimerHandle[] = [];

  constructor(private readonly deps: MatchControllerDeps<C>) {
    this.newId = deps.newId ?? randomUUID;
    this.newSeed = deps.newSeed ?? randomSeed;
    this.game = new GameController<C>({ ...deps.game, events: this });
    this.chat = new ChatLog(deps.roomCode, { maxPerWindow: deps.settings.chatMaxPerWindow, windowMs: deps.settings.chatWindowMs }, this.newId);
    this.lastActivityAt = deps.now();
    this.timers.push(deps.clock.setInterval(() => this.sweep(), deps.settings.sweepMs));
    this.timers.push(deps.clock.setInterval(() => this.flushChat(), deps.settings.chatFlushMs));
  }

  // ── seats ────────────────────────────────────────────────────────────────────

  onJoin(client: C): void {
    const now = this.deps.now();
    const auth = client.auth!;
    this.lastActivityAt = now;
    this.seats.add(client, now);
    const claimsHost = !this.creatorSeated && auth.sub === this.deps.createdBy;
    if (claimsHost) this.creatorSeated = true;
    if (claimsHost || !this.flow.host) this.setHost(client.sessionId);
    const host = this.seats.get(this.flow.host);
    if (host && host.client !== client) this.deps.send(host.client, ServerMessage.PlayerJoined, { sessionId: client.sessionId, nick: auth.nick, guest: auth.guest });
    this.game.onJoin(client);
    // A player of the round under way coming back (a rejoin) plays on; anyone else watches.
    this.deps.state.player(client.sessionId, { active: true, playing: roundUnderway(this.flow) && this.flow.players.includes(auth.sub) });
    this.deps.send(client, ServerMessage.ChatHistory, { messages: this.chat.recent() });
  }

  onDrop(client: C): void {
    this.seats.setConnected(client.sessionId, false);
    this.game.onDrop(client);
  }

  onReconnect(client: C): void {
    this.seats.setConnected(client.sessionId, true, client);
    this.touch(client);
    this.game.onReconnect(client);
    // Lines said while the socket was away are in the history (a client replaces its list with it).
    this.deps.send(client, ServerMessage.ChatHistory, { messages: this.chat.recent() });
  }

  /** Left for good (or not back within the reconnection window). */
  onLeave(client: C): void {
    const seat = this.seats.remove(client.sessionId);
    if (!seat) return;
    this.chat.forget(seat.sub);
    this.game.onLeave(client);
    if (callsOff(this.flow, seat.sub)) this.callOff(CallOffReason.PlayerLeft, client);
    else if (this.flow.phase === MatchPhase.Running && !isTimed(this.deps.mode) && this.flow.players.includes(seat.sub)) {
      this.game.stopGame(seat.sub, EndReason.Abandoned);
    }
    this.electHost();
  }

  onDispose(): void {
    for (const timer of [...this.timers, this.countdown, this.lobbyTimer, this.pending?.timer]) timer?.clear();
    this.flushChat();
    this.game.onDispose();
  }

  // ── messages ─────────────────────────────────────────────────────────────────

  /** Any message from a seated player: they are active, and the room is not idle. */
  touch(client: C): void {
    const now = this.deps.now();
    this.lastActivityAt = now;
    if (this.seats.touch(client.sessionId, now)) this.deps.state.player(client.sessionId, { active: true });
  }

  onHeartbeat(client: C, message: HeartbeatMessage): void {
    this.sampleClock(client, message.clientTs);
  }

  /** `ping { t }` carries the page's clock too. */
  sampleClock(client: C, clientTs: number): void {
    this.seats.sampleClock(client.sessionId, clientTs, this.deps.now());
  }

  /**
   * `start_match` (host, lobby): the round's players are the connected seats whose clock is known;
   * the others are told CLOCK_UNKNOWN and watch. A one-player round starts at once.
   */
  onStartMatch(client: C): void {
    const connected = this.seats.all().filter((s) => s.connected);
    const timed = connected.filter((s) => s.clockOffset !== null);
    const countdownMs = timed.length > 1 ? this.deps.settings.countdownMs : 0;
    const result = startRound(this.flow, client.sessionId, timed.map((s) => s.sub), this.deps.now(), countdownMs);
    if ("reject" in result) return this.refuse(client, result.reject, "start_match");
    if (timed.length === 0) return this.refuse(client, "CLOCK_UNKNOWN", "start_match");
    for (const seat of connected) if (seat.clockOffset === null) this.refuse(seat.client, "CLOCK_UNKNOWN", "start_match");
    this.beginCountdown(result.flow);
  }

  onReady(client: C, message: ReadyMessage): void {
    if (this.flow.phase !== MatchPhase.Lobby) return this.refuse(client, "WRONG_PHASE", "ready");
    this.deps.state.player(client.sessionId, { ready: message.ready });
  }

  /** `game_start` from a player alone in the room: a one-player round at once. */
  onGameStart(client: C, message: GameStartMessage): void {
    const result = startLoneRound(this.flow, client.auth!.sub, this.seats.size, this.deps.now());
    if ("reject" in result) return this.refuse(client, result.reject, "game_start");
    if (this.pending) void this.sendRecord(this.pending);
    this.apply(beginRunning(result.flow));
    this.deps.state.player(client.sessionId, { playing: true, placement: 0, ready: false });
    if (!this.game.onGameStart(client, message, this.flow.round)) {
      this.apply({ ...this.flow, phase: MatchPhase.Lobby });
      return;
    }
    const session = this.game.session(client.auth!.sub)!;
    this.apply({ ...this.flow, startsAt: session.startedAt! });
    this.deps.state.room({ endsAt: session.endsAt ?? 0 });
  }

  onPoint(client: C, message: PointMessage): void {
    this.game.onPoint(client, message);
  }

  onSubmit(client: C, message: SubmitMessage): Promise<void> {
    return this.game.onSubmit(client, message);
  }

  onChat(client: C, message: ChatMessage): void {
    const auth = client.auth!;
    const outcome = this.chat.post({ sub: auth.sub, sessionId: client.sessionId, nick: auth.nick, guest: auth.guest }, message.text, this.deps.now());
    if ("reject" in outcome) {
      const retryAfter = outcome.retryAfterMs === undefined ? undefined : Math.ceil(outcome.retryAfterMs / 1000);
      return this.refuse(client, outcome.reject, "chat", retryAfter);
    }
    this.deps.broadcast(ServerMessage.ChatMessage, outcome.line);
  }

  // ── game events ──────────────────────────────────────────────────────────────

  ended(_sub: string, _session: GameSession): void {
    this.checkOver();
  }

  /** The round is over when none of its players' games still runs. */
  private checkOver(): void {
    if (this.flow.phase !== MatchPhase.Running) return;
    const over = this.flow.players.every((sub) => {
      const session = this.game.session(sub);
      return !session || session.status !== GameStatus.Running;
    });
    if (over) this.finish();
  }

  judged(sub: string, sessionId: string, saved: boolean): void {
    const pending = this.pending;
    const line = pending?.lines.find((l) => l.sub === sub && l.gameSessionId === sessionId);
    if (!pending || !line) return;
    line.resultSaved = saved;
    line.awaiting = false;
    if (pending.lines.every((l) => !l.awaiting)) void this.sendRecord(pending);
  }

  // ── the round ────────────────────────────────────────────────────────────────

  private beginCountdown(flow: MatchFlow): void {
    this.apply(flow);
    for (const seat of this.seats.all()) {
      this.deps.state.player(seat.client.sessionId, { ready: false, placement: 0, playing: flow.players.includes(seat.sub) });
    }
    const players = this.seats.all().filter((s) => flow.players.includes(s.sub)).map((s) => s.client.sessionId);
    this.deps.broadcast(ServerMessage.MatchCountdown, { round: flow.round, startsAt: flow.startsAt, serverTime: this.deps.now(), players });
    const round = flow.round;
    this.countdown = this.deps.clock.setTimeout(() => this.run(round), Math.max(0, flow.startsAt - this.deps.now()));
  }

  /** The countdown is over: every player of the round starts at the same instant on the same seed. */
  private run(round: number): void {
    this.countdown = null;
    if (this.flow.phase !== MatchPhase.Countdown || this.flow.round !== round) return;
    // The room clock may fire a little early: wait for the instant itself.
    const early = this.flow.startsAt - this.deps.now();
    if (early > 0) {
      this.countdown = this.deps.clock.setTimeout(() => this.run(round), early);
      return;
    }
    this.apply(beginRunning(this.flow));
    const { startsAt } = this.flow;
    const seed = this.newSeed();
    const settings = this.deps.game.settings;
    this.deps.state.room({ endsAt: startsAt + (isTimed(this.deps.mode) ? settings.durationMs : settings.stepsMaxMs) });
    for (const seat of this.seats.all()) {
      if (!this.flow.players.includes(seat.sub) || seat.clockOffset === null) continue;
      this.game.startRoundGame(seat.client, { round, seed, startsAt, clientStartTs: startsAt + seat.clockOffset });
    }
    this.checkOver();
  }

  /** Every game of the round ended: placements now, the record once the submissions are in. */
  private finish(): void {
    const now = this.deps.now();
    this.apply(finishRound(this.flow, now));
    const lines = placeLines(this.deps.mode, this.roundPlayers());
    if (lines.length === 0) {
      this.apply(backToLobby(this.flow)); // nobody played: nothing to place or record
      return;
    }
    for (const line of lines) this.deps.state.player(line.sessionId, { placement: line.placement });
    const endedAt = Math.max(this.flow.startsAt, ...lines.map((l) => this.game.session(l.sub)?.endedAt ?? 0));
    const round = this.flow.round;
    const pending: PendingRecord = {
      matchId: this.newId(), round, startedAt: this.flow.startsAt, endedAt, lines,
      timer: this.deps.clock.setTimeout(() => void this.sendRecord(pending), this.deps.settings.submitGraceMs),
    };
    this.pending = pending;
    if (lines.every((l) => !l.awaiting)) void this.sendRecord(pending);
  }

  /** Hands the round's record to the outbox, then tells everyone the results. */
  private async sendRecord(pending: PendingRecord): Promise<void> {
    if (this.pending !== pending) return;
    this.pending = null;
    pending.timer.clear();
    const body = matchRecordBody({ ...pending, roomCode: this.deps.roomCode, mode: this.deps.mode, solo: this.isSolo(pending.lines.length), outcome: MatchOutcome.Completed });
    const delivery = await this.deps.records.submitMatchRecord(body).catch((err): Delivery => ({ delivered: false, queued: false, error: String(err) }));
    const earned = delivery.delivered ? ((delivery.body.points_earned as Record<string, number> | undefined) ?? {}) : {};
    this.deps.broadcast(ServerMessage.MatchResults, {
      matchId: pending.matchId, round: pending.round, mode: this.deps.mode, solo: body.solo,
      startedAt: pending.startedAt, endedAt: pending.endedAt, players: resultLines(pending.lines, earned),
    });
    this.lobbyTimer?.clear();
    this.lobbyTimer = this.deps.clock.setTimeout(() => {
      this.lobbyTimer = null;
      if (this.flow.round !== pending.round || this.flow.phase !== MatchPhase.Results) return;
      this.apply(backToLobby(this.flow));
      for (const seat of this.seats.all()) this.deps.state.player(seat.client.sessionId, { placement: 0, playing: false });
    }, this.deps.settings.resultsMs);
  }

  /** A two-player round lost a player: back to lobby, nobody placed, both told why. */
  private callOff(reason: CallOffReason, gone: C): void {
    const wasRunning = this.flow.phase === MatchPhase.Running;
    const { round, startsAt } = this.flow;
    const players = this.roundPlayers();
    this.countdown?.clear();
    this.countdown = null;
    this.apply(callOffRound(this.flow, this.deps.now()));
    for (const sub of this.flow.players) this.game.stopGame(sub, EndReason.CalledOff);
    for (const seat of this.seats.all()) this.deps.state.player(seat.client.sessionId, { playing: false, placement: 0 });
    this.deps.broadcast(ServerMessage.MatchCalledOff, { round, reason, sessionId: gone.sessionId, nick: gone.auth!.nick });
    if (!wasRunning) return;
    const lines = placeLines(this.deps.mode, players);
    const body = matchRecordBody({ matchId: this.newId(), roomCode: this.deps.roomCode, mode: this.deps.mode, round, solo: this.isSolo(lines.length), outcome: MatchOutcome.CalledOff, startedAt: startsAt, endedAt: this.deps.now(), lines });
    void this.deps.records.submitMatchRecord(body).catch((err) => this.deps.log.error({ err }, "match record not queued"));
  }

  /** The round's players with their seats (a player who left keeps their last seat facts). */
  private roundPlayers() {
    const seatsBySub = new Map(this.seats.all().map((s) => [s.sub, s]));
    return this.flow.players.flatMap((sub) => {
      const session = this.game.session(sub);
      const seat = seatsBySub.get(sub);
      const client = seat?.client ?? this.game.clientOf(sub);
      if (!client?.auth) return [];
      // A player whose game of this round never started (left during the countdown) is not in it.
      if (!session || session.startedAt === null || session.startedAt < this.flow.startsAt) return [];
      return [{ sub, sessionId: client.sessionId, nick: client.auth.nick, guest: client.auth.guest, session }];
    });
  }

  private isSolo(players: number): boolean {
    return this.deps.solo || players === 1;
  }

  // ── presence, host, idle ─────────────────────────────────────────────────────

  /** Activity and host on the room clock; closes the room when idle. */
  private sweep(): void {
    const now = this.deps.now();
    const { inactiveMs, idleMs } = this.deps.settings;
    for (const seat of this.seats.refreshActivity(now, inactiveMs)) {
      this.deps.state.player(seat.client.sessionId, { active: seat.active });
      if (!seat.active && callsOff(this.flow, seat.sub)) this.callOff(CallOffReason.PlayerInactive, seat.client);
    }
    this.electHost();
    if (isRoomIdle(this.lastActivityAt, now, idleMs)) {
      this.timers.forEach((t) => t.clear());
      this.deps.close(RoomCloseReason.Idle);
    }
  }

  private electHost(): void {
    this.setHost(chooseHost(this.flow.host, this.seats.facts(), this.deps.now(), this.deps.settings.inactiveMs));
  }

  private setHost(host: string): void {
    if (host === this.flow.host) return;
    this.flow = { ...this.flow, host };
    this.deps.state.room({ host });
  }

  private apply(flow: MatchFlow): void {
    this.flow = flow;
    this.deps.state.room({ phase: flow.phase, round: flow.round, startsAt: flow.startsAt });
  }

  private flushChat(): void {
    for (const messages of this.chat.takeUnsent()) {
      void this.deps.records.submitChatBatch({ messages }).catch((err) => this.deps.log.error({ err }, "chat batch not queued"));
    }
  }

  /** A client-caused refusal: an `error` with a stable code, a warn line without stack. */
  private refuse(client: C, code: ErrorCode, type: string, retryAfter?: number): void {
    this.deps.log.warn({ sessionId: client.sessionId, code, type }, "match message refused");
    this.deps.send(client, ServerMessage.Error, { code, message: code, type, ...(retryAfter === undefined ? {} : { retryAfter }) });
  }
}
