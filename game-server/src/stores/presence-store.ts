import { LeaseName } from "@arena/shared/contracts/redis-keys";
import type { LeaseStore } from "./lease-store.ts";

/** Who holds a presence: the room, the ticket (`jti`) and the seat (Colyseus session id) that took it. */
export interface PresenceHolder {
  roomId: string;
  jti: string;
  /** The client session id of the seat holding it, so only that seat refreshes or releases it. */
  seat: string;
}

/**
 * Single presence: `presence:<identity>` is held by at most one seat anywhere (SET NX with a
 * TTL the room refreshes while the holder is seated, released on leave and dispose).
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
const encode = (holder: PresenceHolder) => `${holder.roomId} ${holder.jti} ${holder.seat}`;
function decode(value: string): PresenceHolder {
  const [roomId = "", jti = "", seat = ""] = value.split(" ");
  return { roomId, jti, seat };
}
