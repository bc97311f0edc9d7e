import type { Database } from "@arena/db";
import { resolveSkinId } from "@arena/shared/progression/skins";

/** A user account as the auth service sees it. */
export interface UserRecord {
  id: number;
  username: string;
  passwordHash: string;
  role: "player" | "admin";
  status: "active" | "banned";
  createdAt: Date;
  /** The equipped skin (a catalogue id; the default skin when none or an unknown one is stored). */
  skin: string;
}

export class UsernameTakenError extends Error {
  override name = "UsernameTakenError";
}

type Row = { id: number; username: string; passwordHash: string; role: string; status: string; createdAt: Date; equippedSkin: string | null };

const toRecord = (row: Row): UserRecord => ({
  id: row.id,
  username: row.username,
  passwordHash: row.passwordHash,
  role: row.role === "admin" ? "admin" : "player",
  status: row.status === "banned" ? "banned" : "active",
  createdAt: row.createdAt,
  skin: resolveSkinId(row.equippedSkin),
});

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

/** The users table, for authentication. */
export function createUserRepository(db: Database) {
  const users = db.prisma.user;
  return {
    async create({ at, ...data }: { username: string; passwordHash: string; role: "player" | "admin"; at: Date }): Promise<UserRecord> {
      try {
        return toRecord(await users.create({ data: { ...data, createdAt: at, updatedAt: at } }));
      } catch (err) {
        if (isUniqueViolation(err)) throw new UsernameTakenError(data.username);
        throw err;
      }
    },

    async findByUsername(username: string): Promise<UserRecord | null> {
      const row = await users.findUnique({ where: { username } });
      return row ? toRecord(row) : null;
    },

    async findById(id: number): Promise<UserRecord | null> {
      const row = await users.findUnique({ where: { id } });
      return row ? toRecord(row) : null;
    },

    /** Sets the role of an existing account and audits it (`event`), in one transaction; null when there is no such username. */
    async setRole(username: string, role: "player" | "admin", event: string, at: Date): Promise<UserRecord | null> {
      return db.prisma.$transaction(async (tx) => {
        const { count } = await tx.user.updateMany({ where: { username }, data: { role, updatedAt: at } });
        const row = count === 1 ? await tx.user.findUnique({ where: { username } }) : null;
        if (!row) return null;
        await tx.auditLog.create({ data: { at, event, userId: row.id, data: { role } } });
        return toRecord(row);
      });
    },

    /** Makes an account an admin (the development-only ADMIN_USERNAMES shortcut at login). */
    async promote(id: number): Promise<void> {
      await users.update({ where: { id }, data: { role: "admin" } });
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
