import type { Database } from "@arena/db";
import { resolveSkinId } from "@arena/shared/progression/skins";

/** A user account as the auth service sees it. */
export interface UserRecord {
  id: number;
  username: string;
  passwordHash: string;
  role: "player" | "admin";
  status: "active" | "banned";
  failedLogins: number;
  lockedUntil: Date | null;
  createdAt: Date;
  /** The equipped skin (a catalogue id; the default skin when none or an unknown one is stored). */
  skin: string;
}

export class UsernameTakenError extends Error {
  override name = "UsernameTakenError";
}

type Row = { id: number; username: string; passwordHash: string; role: string; status: string; failedLogins: number; lockedUntil: Date | null; createdAt: Date; equippedSkin: string | null };

const toRecord = (row: Row): UserRecord => ({
  id: row.id,
  username: row.username,
  passwordHash: row.passwordHash,
  role: row.role === "admin" ? "admin" : "player",
  status: row.status === "banned" ? "banned" : "active",
  failedLogins: row.failedLogins,
  lockedUntil: row.lockedUntil,
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

    /**
     * Reserves one login attempt BEFORE the password is checked, in one statement: counts it as
     * a failure and, when the count reaches `threshold`, locks the account at once for
     * min(maxSeconds, baseSeconds · 2^(count − threshold)). Returns the new count, or null while
     * the account is locked (nothing reserved). So a parallel burst gets at most `threshold`
     * guesses checked per lock cycle; a successful login clears the count (recordSuccess).
     */
    async reserveLoginAttempt(id: number, at: Date, lock: { threshold: number; baseSeconds: number; maxSeconds: number }): Promise<number | null> {
      const [row] = await db.sql.query<{ failed_logins: number }>(
        `UPDATE "users" SET "failed_logins" = "failed_logins" + 1,
             "locked_until" = CASE WHEN "failed_logins" + 1 >= $3::int
               THEN $2::timestamptz + make_interval(secs => LEAST($5::float8, $4::float8 * power(2::float8, LEAST("failed_logins" + 1 - $3::int, 30))))
               ELSE "locked_until" END
           WHERE "id" = $1 AND ("locked_until" IS NULL OR "locked_until" <= $2::timestamptz)
           RETURNING "failed_logins"`,
        [id, at.toISOString(), lock.threshold, lock.baseSeconds, lock.maxSeconds],
      );
      return row ? row.failed_logins : null;
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

    /** Clears the failure counter and lock after a successful login; optionally promotes to admin. */
    async recordSuccess(id: number, role?: "admin"): Promise<void> {
      await users.update({ where: { id }, data: { failedLogins: 0, lockedUntil: null, ...(role ? { role } : {}) } });
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
