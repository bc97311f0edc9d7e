import type { Database } from "@arena/db";

/** A login session row. */
export interface SessionRow {
  id: string;
  userId: number;
  /** Absolute end of the session. */
  expiresAt: Date;
  /** Last login / refresh / heartbeat / current_user. */
  lastSeenAt: Date;
}

/** When a session dies unless it is seen again: its absolute expiry, or `heartbeatMs` after it was last seen. */
export function sessionLiveUntil(session: Pick<SessionRow, "expiresAt" | "lastSeenAt">, heartbeatMs: number): number {
  return Math.min(session.expiresAt.getTime(), session.lastSeenAt.getTime() + heartbeatMs);
}

/** user_sessions and refresh_tokens. Refresh tokens are stored as SHA-256 hex only. */
export function createSessionRepository(db: Database) {
  const sessions = db.prisma.session;
  const tokens = db.prisma.refreshToken;
  return {
    /** Creates a session with its first refresh token. */
    async create(session: SessionRow, refreshHash: string): Promise<void> {
      await sessions.create({
        data: { ...session, createdAt: session.lastSeenAt, refreshTokens: { create: { tokenHash: refreshHash, createdAt: session.lastSeenAt } } },
      });
    },

    /** The session and its user's id/name/role/status in one query (raw SQL: the hot path of every token refresh). */
    async findWithUser(id: string): Promise<(SessionRow & { user: { id: number; username: string; role: string; status: string; equippedSkin: string | null } }) | null> {
      const [row] = await db.sql.query<{ id: string; user_id: number; expires_at: Date | string; last_seen_at: Date | string; username: string; role: string; status: string; equipped_skin: string | null }>(
        `SELECT s."id", s."user_id", s."expires_at", s."last_seen_at", u."username", u."role", u."status", u."equipped_skin"
           FROM "user_sessions" s JOIN "users" u ON u."id" = s."user_id" WHERE s."id" = $1`,
        [id],
      );
      if (!row) return null;
      return {
        id: row.id,
        userId: row.user_id,
        expiresAt: new Date(row.expires_at),
        lastSeenAt: new Date(row.last_seen_at),
        user: { id: row.user_id, username: row.username, role: row.role, status: row.status, equippedSkin: row.equipped_skin },
      };
    },

    async find(id: string): Promise<SessionRow | null> {
      return sessions.findUnique({ where: { id }, select: { id: true, userId: true, expiresAt: true, lastSeenAt: true } });
    },

    /**
     * Marks an unused refresh token used, atomically: true for exactly one caller. False
     * when the token is unknown or was already used.
     */
    async claimRefreshToken(hash: string, at: Date): Promise<boolean> {
      const { count } = await tokens.updateMany({ where: { tokenHash: hash, usedAt: null }, data: { usedAt: at } });
      return count === 1;
    },

    /** The token's session and when it was used (replaced), or null when unknown. */
    async findRefreshToken(hash: string): Promise<{ sessionId: string; usedAt: Date | null } | null> {
      return tokens.findUnique({ where: { tokenHash: hash }, select: { sessionId: true, usedAt: true } });
    },

    /** Adds the session's next refresh token; false when the session was deleted meanwhile. */
    async addRefreshToken(sessionId: string, hash: string, at: Date): Promise<boolean> {
      try {
        const rows = await db.sql.query(
          `INSERT INTO "refresh_tokens" ("token_hash", "session_id", "created_at")
             SELECT $1, "id", $3 FROM "user_sessions" WHERE "id" = $2 RETURNING "token_hash"`,
          [hash, sessionId, at.toISOString()],
        );
        return rows.length === 1;
      } catch (err) {
        if ((err as { code?: string }).code === "23503") return false; // the session was deleted concurrently
        throw err;
      }
    },

    async touch(id: string, at: Date): Promise<boolean> {
      const { count } = await sessions.updateMany({ where: { id }, data: { lastSeenAt: at } });
      return count === 1;
    },

    /** Deletes a session (its refresh tokens go with it). True when it existed. */
    async delete(id: string): Promise<boolean> {
      const { count } = await sessions.deleteMany({ where: { id } });
      return count === 1;
    },

    /** Deletes every session of a user; returns their ids. */
    async deleteForUser(userId: number): Promise<string[]> {
      const rows = await db.sql.query<{ id: string }>(`DELETE FROM "user_sessions" WHERE "user_id" = $1 RETURNING "id"`, [userId]);
      return rows.map((r) => r.id);
    },

    /** Every session alive at `now`: not past its expiry and seen since `idleBefore` (the mirror's source of truth). */
    async findLive(now: Date, idleBefore: Date): Promise<SessionRow[]> {
      const rows = await db.sql.query<{ id: string; user_id: number; expires_at: Date | string; last_seen_at: Date | string }>(
        `SELECT "id", "user_id", "expires_at", "last_seen_at" FROM "user_sessions" WHERE "expires_at" > $1 AND "last_seen_at" >= $2`,
        [now.toISOString(), idleBefore.toISOString()],
      );
      return rows.map((r) => ({ id: r.id, userId: r.user_id, expiresAt: new Date(r.expires_at), lastSeenAt: new Date(r.last_seen_at) }));
    },

    /** Deletes up to `limit` sessions past their expiry or idle since before `idleBefore`; returns their ids. */
    async deleteStale(now: Date, idleBefore: Date, limit: number): Promise<string[]> {
      const stale = `("expires_at" <= $1 OR "last_seen_at" < $2)`;
      const rows = await db.sql.query<{ id: string }>(
        `DELETE FROM "user_sessions" WHERE ${stale} AND "id" IN (SELECT "id" FROM "user_sessions" WHERE ${stale} LIMIT $3) RETURNING "id"`,
        [now.toISOString(), idleBefore.toISOString(), limit],
      );
      return rows.map((r) => r.id);
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
