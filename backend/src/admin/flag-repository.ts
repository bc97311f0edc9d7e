import type { Database } from "@arena/db";

/** One entry of the review queue, as the admin API lists it. */
export interface FlagRecord {
  id: string;
  user_id: string;
  username: string;
  user_status: string;
  reason: string;
  evidence: unknown;
  status: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}

interface FlagRow {
  id: string;
  user_id: number;
  username: string;
  user_status: string;
  reason: string;
  evidence: unknown;
  status: string;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by: number | null;
}

const toRecord = (r: FlagRow): FlagRecord => ({
  id: String(r.id),
  user_id: String(r.user_id),
  username: r.username,
  user_status: r.user_status,
  reason: r.reason,
  evidence: r.evidence,
  status: r.status,
  created_at: new Date(r.created_at).toISOString(),
  resolved_at: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
  resolved_by: r.resolved_by === null ? null : String(r.resolved_by),
});

/** The manual review queue (`flags`) and the user-status changes of its decisions. */
export function createFlagRepository(db: Database) {
  return {
    /**
     * Adds a flag. With `key` (an idempotency key, e.g. the game server's flag_id) a second call
     * with the same key adds nothing. Returns false when the user does not exist.
     */
    async add(userId: number, reason: string, evidence: unknown, key?: string): Promise<boolean> {
      const rows = await db.sql.query(
        `INSERT INTO flags (user_id, reason, evidence)
         SELECT $1, $2, $3::jsonb WHERE EXISTS (SELECT 1 FROM users WHERE id = $1)
           AND ($4::text IS NULL OR NOT EXISTS (SELECT 1 FROM flags WHERE user_id = $1 AND evidence->>'flag_id' = $4))
         RETURNING id`,
        [userId, reason.slice(0, 64), JSON.stringify(key ? { ...(evidence as object), flag_id: key } : evidence), key ?? null],
      );
      if (rows.length > 0) return true;
      const [exists] = await db.sql.query("SELECT 1 FROM users WHERE id = $1", [userId]);
      return exists !== undefined;
    },

    /** Flags in `status` (newest first), with the account's username and status. */
    async list(status: string, limit: number, beforeId?: string): Promise<FlagRecord[]> {
      const rows = await db.sql.query<FlagRow>(
        `SELECT f.id, f.user_id, u.username, u.status AS user_status, f.reason, f.evidence, f.status,
                f.created_at, f.resolved_at, f.resolved_by
           FROM flags f JOIN users u ON u.id = f.user_id
          WHERE f.status = $1 AND ($3::bigint IS NULL OR f.id < $3)
          ORDER BY f.id DESC LIMIT $2`,
        [status, limit, beforeId ?? null],
      );
      return rows.map(toRecord);
    },

    async get(id: string): Promise<FlagRecord | null> {
      const [row] = await db.sql.query<FlagRow>(
        `SELECT f.id, f.user_id, u.username, u.status AS user_status, f.reason, f.evidence, f.status,
                f.created_at, f.resolved_at, f.resolved_by
           FROM flags f JOIN users u ON u.id = f.user_id WHERE f.id = $1`,
        [id],
      );
      return row ? toRecord(row) : null;
    },

    /** Resolves one open flag; false when it is not open. */
    async resolve(id: string, status: "cleared" | "banned", by: number, at: Date): Promise<boolean> {
      const rows = await db.sql.query(
        "UPDATE flags SET status = $2, resolved_by = $3, resolved_at = $4 WHERE id = $1 AND status = 'open' RETURNING id",
        [id, status, by, at],
      );
      return rows.length > 0;
    },

    /** Bans a user: status "banned" and every open flag of theirs resolved as banned. */
    async banUser(userId: number, by: number, at: Date): Promise<boolean> {
      return db.sql.transaction(async (tx) => {
        const rows = await tx.query("UPDATE users SET status = 'banned', updated_at = $2 WHERE id = $1 RETURNING id", [userId, at]);
        if (rows.length === 0) return false;
        await tx.query("UPDATE flags SET status = 'banned', resolved_by = $2, resolved_at = $3 WHERE user_id = $1 AND status = 'open'", [userId, by, at]);
        return true;
      });
    },
  };
}

export type FlagRepository = ReturnType<typeof createFlagRepository>;
