import { isActive, type SeatFacts } from "@arena/shared/match/match-flow";
import type { PlayerClient } from "../game/game-controller.ts";

/** One seated player as the match sees them (server-side only). */
export interface Seat<C extends PlayerClient> {
  client: C;
  sub: string;
  /** Seating order: lower sat down earlier. */
  order: number;
  /** Server ms of the player's last message (or of the seat). */
  lastSeenAt: number;
  active: boolean;
  /** The page's clock minus the server's, from its last heartbeat or ping (null: unknown). */
  clockOffset: number | null;
  /** False while the socket is dropped. */
  connected: boolean;
}

/** The seats of one room by sessionId: order, activity, clock offsets. */
export class SeatRoster<C extends PlayerClient> {
  private readonly seats = new Map<string, Seat<C>>();
  private count = 0;

  add(client: C, nowMs: number): Seat<C> {
    const seat: Seat<C> = { client, sub: client.auth!.sub, order: ++this.count, lastSeenAt: nowMs, active: true, clockOffset: null, connected: true };
    this.seats.set(client.sessionId, seat);
    return seat;
  }

  get(sessionId: string): Seat<C> | undefined {
    return this.seats.get(sessionId);
  }

  remove(sessionId: string): Seat<C> | undefined {
    const seat = this.seats.get(sessionId);
    this.seats.delete(sessionId);
    return seat;
  }

  all(): Seat<C>[] {
    return [...this.seats.values()];
  }

  get size(): number {
    return this.seats.size;
  }

  /** A message from the seat: it is active again; answers whether it was away. */
  touch(sessionId: string, nowMs: number): boolean {
    const seat = this.seats.get(sessionId);
    if (!seat) return false;
    seat.lastSeenAt = nowMs;
    const wasAway = !seat.active;
    seat.active = true;
    return wasAway;
  }

  /** Records the page's clock offset from a message carrying `clientTs`. */
  sampleClock(sessionId: string, clientTs: number, nowMs: number): void {
    const seat = this.seats.get(sessionId);
    if (seat && Number.isFinite(clientTs)) seat.clockOffset = clientTs - nowMs;
  }

  /** The socket dropped (false) or came back with `client` (true). */
  setConnected(sessionId: string, connected: boolean, client?: C): void {
    const seat = this.seats.get(sessionId);
    if (!seat) return;
    seat.connected = connected;
    if (client) seat.client = client;
  }

  /** Re-judges every seat's activity at `nowMs`; answers the seats whose activity changed. */
  refreshActivity(nowMs: number, inactiveMs: number): Seat<C>[] {
    const changed: Seat<C>[] = [];
    for (const seat of this.seats.values()) {
      const active = isActive(seat.lastSeenAt, nowMs, inactiveMs);
      if (active === seat.active) continue;
      seat.active = active;
      changed.push(seat);
    }
    return changed;
  }

  /** The facts host election reads. */
  facts(): SeatFacts[] {
    return this.all().map((s) => ({ id: s.client.sessionId, seatedAt: s.order, lastSeenAt: s.lastSeenAt, connected: s.connected }));
  }
}
