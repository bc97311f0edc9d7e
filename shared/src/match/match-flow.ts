import type { ErrorCode } from "../errors.ts";
import { MatchPhase } from "../protocol.ts";

/**
 * The round cycle of one room as plain data. Every transition is a pure function of the flow,
 * the sender and the clock; the room applies the returned flow and does the effects.
 */
export interface MatchFlow {
  phase: MatchPhase;
  /** The host's seat id ("" when nobody is seated). */
  host: string;
  /** The current (or last) round; 0 before the first. */
  round: number;
  /** Server ms the round's games start at (0: none). */
  startsAt: number;
  /** Server ms the round's games ended (0 while they run). */
  endedAt: number;
  /** Seat ids of the round's players. */
  players: string[];
}

export const initialFlow = (): MatchFlow => ({ phase: MatchPhase.Lobby, host: "", round: 0, startsAt: 0, endedAt: 0, players: [] });

/** A seated player's facts the flow decides on. */
export interface SeatFacts {
  id: string;
  /** Seating order: lower sat down earlier. */
  seatedAt: number;
  /** Server ms of the player's last message (or of the seat). */
  lastSeenAt: number;
  connected: boolean;
}

export type FlowResult = { flow: MatchFlow } | { reject: ErrorCode };

/**
 * `start_match`: only the host, only in `lobby`. The round's players are the seats given (the
 * room passes the connected players it can time); it starts after `countdownMs`, at once when 0.
 */
export function startRound(flow: MatchFlow, sender: string, players: readonly string[], nowMs: number, countdownMs: number): FlowResult {
  if (sender !== flow.host) return { reject: "NOT_HOST" };
  if (flow.phase !== MatchPhase.Lobby) return { reject: "WRONG_PHASE" };
  return { flow: beginCountdown(flow, players, nowMs, countdownMs) };
}

/**
 * `game_start` from a player alone in the room: a one-player round at once, allowed between
 * rounds (`lobby`, `results`).
 */
export function startLoneRound(flow: MatchFlow, sender: string, seated: number, nowMs: number): FlowResult {
  if (seated > 1) return { reject: "SOLO_START_ONLY" };
  if (flow.phase !== MatchPhase.Lobby && flow.phase !== MatchPhase.Results) return { reject: "WRONG_PHASE" };
  return { flow: beginCountdown({ ...flow, phase: MatchPhase.Lobby }, [sender], nowMs, 0) };
}

function beginCountdown(flow: MatchFlow, players: readonly string[], nowMs: number, countdownMs: number): MatchFlow {
  return { ...flow, phase: MatchPhase.Countdown, round: flow.round + 1, startsAt: nowMs + countdownMs, endedAt: 0, players: [...players] };
}

/** The countdown is over: the games run. */
export function beginRunning(flow: MatchFlow): MatchFlow {
  return flow.phase === MatchPhase.Countdown ? { ...flow, phase: MatchPhase.Running } : flow;
}

/** Every game of the round ended: placements are due. */
export function finishRound(flow: MatchFlow, nowMs: number): MatchFlow {
  return flow.phase === MatchPhase.Running ? { ...flow, phase: MatchPhase.Results, endedAt: nowMs } : flow;
}

/** Results shown: ready for the next round. */
export function backToLobby(flow: MatchFlow): MatchFlow {
  return flow.phase === MatchPhase.Results ? { ...flow, phase: MatchPhase.Lobby } : flow;
}

/** A round in countdown or running is abandoned: straight back to `lobby`. */
export function callOffRound(flow: MatchFlow, nowMs: number): MatchFlow {
  if (flow.phase !== MatchPhase.Countdown && flow.phase !== MatchPhase.Running) return flow;
  return { ...flow, phase: MatchPhase.Lobby, endedAt: nowMs };
}

/** Whether a round is under way (its players are committed to it). */
export function roundUnderway(flow: MatchFlow): boolean {
  return flow.phase === MatchPhase.Countdown || flow.phase === MatchPhase.Running;
}

/**
 * A two-player round ends when one of its two players goes away (inactive, or gone for good):
 * answers whether `gone` calls the round off.
 */
export function callsOff(flow: MatchFlow, gone: string): boolean {
  return roundUnderway(flow) && flow.players.length === 2 && flow.players.includes(gone);
}

/** Whether a player whose last message was at `lastSeenAt` counts as active. */
export function isActive(lastSeenAt: number, nowMs: number, inactiveMs: number): boolean {
  return nowMs - lastSeenAt < inactiveMs;
}

/**
 * Who hosts: the current host while seated and active; otherwise the longest-seated active
 * player, else the longest-seated player, else nobody ("").
 */
export function chooseHost(current: string, seats: readonly SeatFacts[], nowMs: number, inactiveMs: number): string {
  const active = (s: SeatFacts) => isActive(s.lastSeenAt, nowMs, inactiveMs);
  const holder = seats.find((s) => s.id === current);
  if (holder && active(holder)) return current;
  const bySeniority = [...seats].sort((a, b) => a.seatedAt - b.seatedAt);
  const successor = bySeniority.find(active) ?? holder ?? bySeniority[0];
  return successor?.id ?? "";
}

/** A room with no message and no join since `lastActivityAt` for `idleMs` is closed. */
export function isRoomIdle(lastActivityAt: number, nowMs: number, idleMs: number): boolean {
  return nowMs - lastActivityAt >= idleMs;
}
