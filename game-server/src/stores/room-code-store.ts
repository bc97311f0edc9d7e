import { randomInt } from "node:crypto";
import { LeaseName } from "@arena/shared/contracts/redis-keys";
import type { LeaseStore } from "./lease-store.ts";

/** Readable code alphabet: no 0/O, 1/I/L look-alikes. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const CODE_LENGTH = 6;
const MAX_ATTEMPTS = 20;

/** Draws a room code from the CSPRNG (`random` is injectable for tests). */
export function drawRoomCode(random: (max: number) => number = randomInt): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[random(CODE_ALPHABET.length)];
  return code;
}

/** Normalises user input (case, spaces); null when it cannot be a code. */
export function parseRoomCode(raw: string): string | null {
  const code = raw.trim().toUpperCase();
  if (code.length !== CODE_LENGTH) return null;
  for (const char of code) if (!CODE_ALPHABET.includes(char)) return null;
  return code;
}

/** Room codes, unique among live rooms: `roomcode:<code>` → roomId, reserved atomically (SET NX). */
export class RoomCodeStore {
  constructor(
    private readonly leases: LeaseStore,
    private readonly ttlMs: number,
    private readonly draw: () => string = drawRoomCode,
  ) {}

  /** Reserves a fresh code for `roomId`, drawing again on collision. */
  async reserve(roomId: string): Promise<string> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const code = this.draw();
      if (await this.leases.acquire(key(code), roomId, this.ttlMs)) return code;
    }
    throw new Error("could not draw a free room code");
  }

  /** The live room of `code`, or null. */
  async resolve(code: string): Promise<string | null> {
    return this.leases.get(key(code));
  }

  /** Keeps a live room's code reserved. */
  async refresh(code: string, roomId: string): Promise<void> {
    await this.leases.refresh([[key(code), roomId]], this.ttlMs);
  }

  /** Frees the code once its room is gone. */
  async release(code: string, roomId: string): Promise<void> {
    await this.leases.release(key(code), roomId);
  }
}

const key = LeaseName.roomCode;
