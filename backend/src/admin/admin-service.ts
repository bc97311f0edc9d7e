import { AppError, BOARDS, type SessionStore } from "@arena/shared";
import type { Database } from "@arena/db";
import type { AuditLog } from "../backend-context.ts";
import { AuditEventName } from "../audit/batched-audit-log.ts";
import { revokeUserSessions } from "../auth/session-revocation.ts";
import { periodKeys } from "../leaderboard/period-keys.ts";
import type { RankCache } from "../leaderboard/rank-cache.ts";
import type { ScoreboardMetrics } from "../metrics/scoreboard-metrics.ts";
import type { ScoreBus } from "../leaderboard/score-bus.ts";
import type { ScoreRepository } from "../scores/score-repository.ts";
import type { FlagRecord, FlagRepository } from "./flag-repository.ts";

/** Review-queue decisions and flag intake. */
export interface AdminService {
  /**
   * Puts an account in the review queue (anti-fraud, the game server); `key` makes a repeated
   * report a no-op. False for an unknown user.
   */
  addFlag(userId: number, reason: string, evidence: Record<string, unknown>, key?: string): Promise<boolean>;
  /** Flags with `status`, newest first, at most `limit`, older than the flag `before` when given. */
  list(status: string, limit: number, before?: string): Promise<FlagRecord[]>;
  /** One flag; NOT_FOUND when there is none with that id. */
  flag(id: string): Promise<FlagRecord>;
  /** Resolves an open flag as cleared by admin `by`; NOT_FOUND when no open flag has that id. */
  clear(id: string, by: number): Promise<FlagRecord>;
  /**
   * Bans an account: users.status = 'banned' (login/refresh refuse it), every session deleted from
   * the database and the SessionStore (every token dies at once), open flags resolved, and its
   * standings removed from every board (history stays as evidence). NOT_FOUND for an unknown user.
   */
  ban(userId: number, by: number, via: string): Promise<{ user_id: string; sessions_revoked: number }>;
}

export function createAdminService(deps: {
  db: Database;
  sessions: SessionStore;
  flags: FlagRepository;
  scores: ScoreRepository;
  rankCache: RankCache;
  bus: ScoreBus;
  audit: AuditLog;
  metrics: ScoreboardMetrics;
  now: () => number;
}): AdminService {
  return {
    async addFlag(userId: number, reason: string, evidence: Record<string, unknown>, key?: string): Promise<boolean> {
      const ok = await deps.flags.add(userId, reason, evidence, key);
      if (ok) {
        deps.metrics.flags.inc({ reason });
        void deps.audit.record({ event: AuditEventName.Flag, userId, data: { reason, evidence } });
      }
      return ok;
    },

    list: (status: string, limit: number, before?: string) => deps.flags.list(status, limit, before),

    async flag(id: string): Promise<FlagRecord> {
      const flag = await deps.flags.get(id);
      if (!flag) throw new AppError("NOT_FOUND", "No such flag.");
      return flag;
    },

    async clear(id: string, by: number): Promise<FlagRecord> {
      if (!(await deps.flags.resolve(id, "cleared", by, new Date(deps.now())))) throw new AppError("NOT_FOUND", "No open flag with that id.");
      void deps.audit.record({ event: AuditEventName.AdminClear, userId: by, data: { flag_id: id } });
      return (await deps.flags.get(id))!;
    },

    async ban(userId: number, by: number, via: string): Promise<{ user_id: string; sessions_revoked: number }> {
      if (!(await deps.flags.banUser(userId, by, new Date(deps.now())))) throw new AppError("NOT_FOUND", "No such user.");
      const revoked = await revokeUserSessions({ db: deps.db, sessions: deps.sessions }, userId);
      const deleted = await deps.scores.deleteUserScores(userId);
      // Also every board's current keys: a retried ban (the first one's cache removal failed) deletes
      // no rows any more but must still clear the cache. Older daily/weekly keys expire by themselves.
      const boards = [...new Map([...deleted, ...BOARDS.flatMap((board) => periodKeys(deps.now()).map((period) => ({ board, period })))].map((b) => [`${b.board}:${b.period}`, b])).values()];
      await deps.rankCache.removeUser(userId, boards);
      await deps.bus.publish({ at: deps.now(), rows: [], changes: [], removed: boards });
      void deps.audit.record({ event: AuditEventName.AdminBan, userId, data: { by, via, sessions_revoked: revoked.length } });
      return { user_id: String(userId), sessions_revoked: revoked.length };
    },
  };
}
