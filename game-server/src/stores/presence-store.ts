import type { LeaseStore } from "./lease-store.ts";

/** Who holds a presence: the room and the ticket (`jti`) of the connection. */
export interface PresenceHolder {
  roomId: string;
  jti: string;
}

/**
 * Single presence: `presence:<identity>` is held by at most one seat anywhere (SET NX with a
 * TTL the room refreshes while the holder is seated, released on leave and dispose).
 */
export class PresenceStore {
  constructor(private readonly leases: LeaseStore, private readonly ttlMs: number) {}

  /** Takes the presence for `holder`; null on success, else the current holder. */
  async acquire(identity: string, holder: PresenceHolder): Promise<PresenceHolder | null> {
    const value = encode(holder);
    if (await this.leases.acquire(key(identity), value, this.ttlMs)) return null;
    const current = await this.leases.get(key(identity));
    if (current === null) return this.acquire(identity, holder); // expired in between: try again
    return current === value ? null : decode(current);
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

  /** Releases `identity` if `holder` still holds it. */
  async release(identity: string, holder: PresenceHolder): Promise<boolean> {
    return this.leases.release(key(identity), encode(holder));
  }
}

const key = (identity: string) => `presence:${identity}`;
const encode = (holder: PresenceHolder) => `${holder.roomId} ${holder.jti}`;
function decode(value: string): PresenceHolder {
  const [roomId = "", jti = ""] = value.split(" ");
  return { roomId, jti };
}
