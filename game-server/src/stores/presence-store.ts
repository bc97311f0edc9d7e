import { LeaseName } from "@arena/shared/contracts/redis-keys";
import type { LeaseStore } from "./lease-store.ts";

/** Who holds a presence: the room, the ticket (`jti`) and the seat (Colyseus session id) that took it. */
export interface PresenceHolder {
  roomId: string;
  jti: string;
  /** The client session id of the seat holding it, so only that seat refreshes or releases it. */
  seat: string;
}

/** What {@link PresenceStore.seat} did: seated, refused for the current holder, or the ticket was already spent. */
export type SeatResult = { seated: true } | { seated: false; holder: PresenceHolder } | { seated: false; spent: true };

/**
 * Single presence: `presence:<identity>` is held by at most one seat anywhere (SET NX with a
 * TTL the room refreshes while the holder is seated, released on leave and dispose).
 * Single-use tickets: `ticketused:<jti>` marks a ticket spent by the join that took a seat with
 * it, in the same atomic step, until the ticket expires; a spent ticket seats nobody again.
 */
export class PresenceStore {
  constructor(private readonly leases: LeaseStore, private readonly ttlMs: number) {}

  /**
   * Takes the presence for `holder`; null on success, else the current holder. Exclusive: a
   * presence already held — even by the same room and ticket — is never taken a second time,
   * so one ticket (or one identity) gets one seat however many joins race for it.
   */
  async acquire(identity: string, holder: PresenceHolder): Promise<PresenceHolder | null> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.leases.acquire(key(identity), encode(holder), this.ttlMs)) return null;
      const current = await this.leases.get(key(identity));
      if (current !== null) return decode(current);
      // expired in between: try again
    }
    throw new Error("presence acquire kept racing with expiry");
  }

  /**
   * Takes the presence for `holder` and spends its ticket (`holder.jti`, marked for
   * `ticketTtlMs`) atomically: exactly one of several racing joins of one ticket or identity
   * wins; the others learn the holder. A ticket spent by an earlier join seats nobody.
   */
  async seat(identity: string, holder: PresenceHolder, ticketTtlMs: number): Promise<SeatResult> {
    const outcome = await this.leases.acquireOnce(key(identity), encode(holder), this.ttlMs, spentKey(holder.jti), Math.max(1, Math.ceil(ticketTtlMs)));
    if (outcome.acquired) return { seated: true };
    if ("holder" in outcome) return { seated: false, holder: decode(outcome.holder) };
    return { seated: false, spent: true };
  }

  /**
   * Holds the one pending seat reservation of ticket `jti` for `ttlMs` (the time a reservation
   * waits for its socket); false when another join of the same ticket holds it. So one ticket
   * cannot pile up reservations that fill a room without ever connecting.
   */
  async holdReservation(jti: string, ttlMs: number): Promise<boolean> {
    return this.leases.acquire(`ticketjoin:${jti}`, "1", Math.max(1, Math.ceil(ttlMs)));
  }

  /** Whether ticket `jti` already took a seat (it cannot be used again). */
  async spent(jti: string): Promise<boolean> {
    return (await this.leases.get(spentKey(jti))) !== null;
  }

  /** The current holder of `identity`, or null when it is in no room. */
  async holder(identity: string): Promise<PresenceHolder | null> {
    const current = await this.leases.get(key(identity));
    return current === null ? null : decode(current);
  }

  /** Extends the presences still held by these holders. */
  async refresh(entries: ReadonlyArray<readonly [identity: string, holder: PresenceHolder]>): Promise<number> {
    return this.leases.refresh(entries.map(([identity, holder]) => [key(identity), encode(holder)]), this.ttlMs);
  }

  /** Releases `identity` if `holder` (same room, ticket and seat) still holds it. */
  async release(identity: string, holder: PresenceHolder): Promise<boolean> {
    return this.leases.release(key(identity), encode(holder));
  }
}

const key = LeaseName.presence;
const spentKey = LeaseName.ticketUsed;
const encode = (holder: PresenceHolder) => `${holder.roomId} ${holder.jti} ${holder.seat}`;
function decode(value: string): PresenceHolder {
  const [roomId = "", jti = "", seat = ""] = value.split(" ");
  return { roomId, jti, seat };
}
