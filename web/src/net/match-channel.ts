import type { Room } from "@colyseus/sdk";
import type {
  ChatHistoryPayload,
  ChatMessagePayload,
  ErrorPayload,
  MatchCalledOffPayload,
  MatchCountdownPayload,
  MatchResultsPayload,
  PlayerJoinedPayload,
  RoomClosingPayload,
} from "@arena/shared/match/match-messages";
import { ClientMessage, type GameMode, MatchPhase, type PlayerStateView, ServerMessage } from "@arena/shared/protocol";
import { errorCodeOf, PlayerError } from "../error-text.ts";
import { clientNow, type RoomClock } from "./room-clock.ts";

/** How often the page tells the room it is still here (the room marks a silent player away after 30 s). */
export const HEARTBEAT_MS = 10_000;

/** One seated player, as the synced state says. */
export type SeatView = PlayerStateView & { sessionId: string };

/** The room as the match screen needs it, read from the synced state. */
export interface MatchSnapshot {
  /** This page's sessionId. */
  me: string;
  code: string;
  mode: GameMode | "";
  solo: boolean;
  phase: MatchPhase;
  host: string;
  round: number;
  startsAt: number;
  endsAt: number;
  /** In seating order. */
  players: SeatView[];
}

/** What the match screen hears from {@link MatchChannel}. */
export interface MatchEvents {
  snapshot(snapshot: MatchSnapshot): void;
  countdown(countdown: MatchCountdownPayload): void;
  results(results: MatchResultsPayload): void;
  calledOff(callOff: MatchCalledOffPayload): void;
  chat(line: ChatMessagePayload): void;
  chatHistory(lines: ChatMessagePayload[]): void;
  playerJoined(joined: PlayerJoinedPayload): void;
  closing(closing: RoomClosingPayload): void;
  /** A refused message (`type` names which), or a room error. */
  error(error: PlayerError, type?: string): void;
}

/**
 * The match side of a room seat (docs/match.md): state, countdown, results, chat, the host's
 * start and the ready badge, and the heartbeat. The game itself is {@link GamePlay}'s.
 */
export class MatchChannel {
  #heartbeat: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly room: Room,
    private readonly clock: RoomClock,
    events: MatchEvents,
  ) {
    room.onMessage(ServerMessage.MatchCountdown, (c: MatchCountdownPayload) => {
      if (clock.offset === null) clock.sample(clientNow(), c.serverTime);
      events.countdown(c);
    });
    room.onMessage(ServerMessage.MatchResults, (r: MatchResultsPayload) => events.results(r));
    room.onMessage(ServerMessage.MatchCalledOff, (c: MatchCalledOffPayload) => events.calledOff(c));
    room.onMessage(ServerMessage.ChatMessage, (line: ChatMessagePayload) => events.chat(line));
    room.onMessage(ServerMessage.ChatHistory, (h: ChatHistoryPayload) => events.chatHistory(h.messages));
    room.onMessage(ServerMessage.PlayerJoined, (j: PlayerJoinedPayload) => events.playerJoined(j));
    room.onMessage(ServerMessage.RoomClosing, (c: RoomClosingPayload) => events.closing(c));
    room.onMessage(ServerMessage.Pong, (p: { t: number; serverTime: number }) => clock.sample(p.t, p.serverTime));
    room.onMessage(ServerMessage.Error, (e: ErrorPayload) => events.error(new PlayerError(errorCodeOf(e), e.message, e.retryAfter), e.type));
    room.onError((code: number, message?: string) => events.error(new PlayerError(errorCodeOf({ code, message }), message)));
    room.onStateChange((state: unknown) => events.snapshot(readSnapshot(room.sessionId, state)));
    room.onReconnect(() => this.#beat());
    room.onLeave(() => this.stop());
    this.#beat();
    this.#heartbeat = setInterval(() => this.#beat(), HEARTBEAT_MS);
  }

  /** Host, in `lobby`: starts a round for everyone seated. */
  startMatch(): void {
    this.room.send(ClientMessage.StartMatch, {});
  }

  /** In `lobby`: the ready badge. */
  setReady(ready: boolean): void {
    this.room.send(ClientMessage.Ready, { ready });
  }

  chat(text: string): void {
    this.room.send(ClientMessage.Chat, { text });
  }

  stop(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }

  /** `heartbeat`, then `ping`: the room samples the page's clock from both, the pong tells the page which. */
  #beat(): void {
    const now = clientNow();
    try {
      this.room.send(ClientMessage.Heartbeat, { clientTs: now });
      this.room.send(ClientMessage.Ping, { t: now });
    } catch {
      // Dropped: the SDK is reconnecting, and the next beat (or onReconnect) goes through.
    }
  }
}

/** The synced state (a `@colyseus/schema` instance) as plain data. */
export function readSnapshot(me: string, state: unknown): MatchSnapshot {
  const s = (state ?? {}) as Partial<Omit<MatchSnapshot, "players" | "me">> & { players?: { forEach?(cb: (value: PlayerStateView, key: string) => void): void } };
  const players: SeatView[] = [];
  s.players?.forEach?.((value, sessionId) => players.push({ ...pickPlayer(value), sessionId }));
  return {
    me,
    code: String(s.code ?? ""),
    mode: s.mode ?? "",
    solo: Boolean(s.solo),
    phase: s.phase ?? MatchPhase.Lobby,
    host: String(s.host ?? ""),
    round: Number(s.round ?? 0),
    startsAt: Number(s.startsAt ?? 0),
    endsAt: Number(s.endsAt ?? 0),
    players,
  };
}

function pickPlayer(p: PlayerStateView): PlayerStateView {
  return {
    nick: p.nick,
    guest: p.guest,
    connected: p.connected,
    ready: p.ready,
    active: p.active,
    playing: p.playing,
    score: p.score,
    points: p.points,
    bursts: p.bursts,
    flagged: p.flagged,
    status: p.status,
    endsAt: p.endsAt,
    placement: p.placement,
    skin: p.skin,
  };
}
