import { LeaseName } from "@arena/shared/contracts/redis-keys";
import type { LeaseStore } from "./lease-store.ts";

/**
 * Guest nicknames, unique among one room's guests: `guestnick:<roomId>:<nick>` → guest id,
 * reserved when the ticket is issued (for the ticket's lifetime), refreshed while the guest
 * is seated, released when it leaves.
 */
export class GuestNameStore {
  constructor(private readonly leases: LeaseStore) {}

  /** Reserves `nick` in `roomId` for `guestId` during `ttlMs`; false when another guest has it. */
  async reserve(roomId: string, nick: string, guestId: string, ttlMs: number): Promise<boolean> {
    return this.leases.acquire(key(roomId, nick), guestId, ttlMs);
  }

  /** Keeps the nicknames of seated guests reserved. */
  async refresh(roomId: string, guests: ReadonlyArray<readonly [nick: string, guestId: string]>, ttlMs: number): Promise<void> {
    await this.leases.refresh(guests.map(([nick, guestId]) => [key(roomId, nick), guestId]), ttlMs);
  }

  /** Frees `nick` if `guestId` still holds it. */
  async release(roomId: string, nick: string, guestId: string): Promise<void> {
    await this.leases.release(key(roomId, nick), guestId);
  }
}

const key = LeaseName.guestName;
