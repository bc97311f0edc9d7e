import type { GameMode, MatchPhase, RoomCloseReason, ServerMessage } from "@arena/shared";
import type { GameControllerDeps, PlayerClient, TimerHandle } from "../game/game-controller.ts";
import type { Delivery, GameLog } from "../game/results-outbox.ts";
import type { ChatBatchBody, MatchRecordBody } from "../game/results-sink.ts";

/** Where match records and chat batches go (the results outbox in production). */
export interface MatchRecordsPort {
  /** Queues one round's record and tries it at once (the answer carries `points_earned`). */
  submitMatchRecord(body: MatchRecordBody): Promise<Delivery>;
  /** Queues chat lines for the audit trail. */
  submitChatBatch(body: ChatBatchBody): Promise<Delivery>;
}

/** The room's synced state, as the match writes it. */
export interface MatchStatePort {
  /** Sets room fields of the synced state. */
  room(patch: Partial<{ phase: MatchPhase; host: string; round: number; startsAt: number; endsAt: number }>): void;
  /** Sets fields of one seated player in the synced state (ignored for a seat that is gone). */
  player(sessionId: string, patch: Partial<{ ready: boolean; active: boolean; playing: boolean; placement: number }>): void;
}

/** The match thresholds (game-server config). */
export interface MatchSettings {
  /** MATCH_COUNTDOWN_MS: start_match → the round's start. */
  countdownMs: number;
  /** MATCH_RESULTS_MS: match_results → lobby. */
  resultsMs: number;
  /** MATCH_SUBMIT_GRACE_MS: longest wait for the round's submissions. */
  submitGraceMs: number;
  /** PLAYER_INACTIVE_MS: silence after which a player is away. */
  inactiveMs: number;
  /** ROOM_SWEEP_MS: how often activity and idleness are checked. */
  sweepMs: number;
  /** ROOM_IDLE_TIMEOUT in ms: silence after which the room closes. */
  idleMs: number;
  /** CHAT_MAX_PER_WINDOW. */
  chatMaxPerWindow: number;
  /** CHAT_WINDOW_MS. */
  chatWindowMs: number;
  /** CHAT_FLUSH_MS: how often chat lines go to the audit trail. */
  chatFlushMs: number;
}

/** Everything a room's match needs, passed in by the room. */
export interface MatchControllerDeps<C extends PlayerClient> {
  /** The room's join code (records, chat audit). */
  roomCode: string;
  mode: GameMode;
  /** The room has one seat. */
  solo: boolean;
  /** The account that created the room: host when it takes its first seat. */
  createdBy?: string;
  settings: MatchSettings;
  /** The game of each player (its `events` are the match's). */
  game: Omit<GameControllerDeps<C>, "events">;
  /** The room clock: timers die with the room. */
  clock: { setTimeout(handler: () => void, ms: number): TimerHandle; setInterval(handler: () => void, ms: number): TimerHandle };
  /** Epoch ms (injectable for tests). */
  now: () => number;
  /** Match records and chat batches (the results outbox). */
  records: MatchRecordsPort;
  /** The synced state. */
  state: MatchStatePort;
  log: GameLog;
  /** One message to one player. */
  send(client: C, type: ServerMessage, payload: unknown): void;
  /** One message to everyone in the room. */
  broadcast(type: ServerMessage, payload: unknown): void;
  /** Closes the room after telling everyone why. */
  close(reason: RoomCloseReason): void;
  /** Defaults: randomUUID and a random 32-bit seed per round. */
  newId?: () => string;
  newSeed?: () => number;
}
