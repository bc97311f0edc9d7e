import { createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { LeaseName } from "@arena/shared/contracts/redis-keys";
import type { LeaseStore } from "./lease-store.ts";

const KEY_BYTES = 32;
const CACHE_LIMIT = 10_000;

/**
 * Each room's own ticket-signing key (256 random bits), readable by every process, deleted
 * when the room is disposed (and expiring if its process dies). KeyObjects are cached per room:
 * importing a raw secret on every HS256 call makes signing and verifying ~50× slower than with a
 * prebuilt KeyObject (jsonwebtoken re-imports the key each time).
 */
export class RoomKeyStore {
  private readonly cache = new Map<string, KeyObject>();
  constructor(private readonly leases: LeaseStore, private readonly ttlMs: number) {}

  /** Generates and stores a fresh key for `roomId`. */
  async create(roomId: string): Promise<KeyObject> {
    const secret = randomBytes(KEY_BYTES);
    await this.leases.put(key(roomId), secret.toString("base64"), this.ttlMs);
    return this.remember(roomId, createSecretKey(secret));
  }

  /** The key of `roomId`, or null when the room is gone. */
  async get(roomId: string): Promise<KeyObject | null> {
    const cached = this.cache.get(roomId);
    if (cached) return cached;
    const stored = await this.leases.get(key(roomId));
    if (stored === null) return null;
    return this.remember(roomId, createSecretKey(Buffer.from(stored, "base64")));
  }

  /** Keeps a live room's key from expiring. */
  async refresh(roomId: string): Promise<void> {
    const stored = await this.leases.get(key(roomId));
    if (stored !== null) await this.leases.refresh([[key(roomId), stored]], this.ttlMs);
  }

  /** Forgets the key: tickets of the room can no longer be verified anywhere. */
  async delete(roomId: string): Promise<void> {
    this.cache.delete(roomId);
    await this.leases.delete(key(roomId));
  }

  /** Drops a cached key (another process disposed the room). */
  forget(roomId: string): void {
    this.cache.delete(roomId);
  }

  private remember(roomId: string, keyObject: KeyObject): KeyObject {
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(roomId, keyObject);
    return keyObject;
  }
}

const key = LeaseName.roomKey;
