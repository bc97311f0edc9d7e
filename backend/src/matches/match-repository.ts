import type { Database } from "@arena/db";
import type { MatchRecordBody } from "@arena/shared/contracts/internal-api";

/** What storing a match record did. */
export type MatchInsertOutcome =
  /** Stored now, with every player line. */
  | { kind: "stored"; pointsEarned: Map<number, number> }
  /** This match_id was already stored: nothing was written; the stored points are answered again. */
  | { kind: "replay"; pointsEarned: Map<number, number> }
  /** A user_id of the record is not an account: nothing was written. */
  | { kind: "unknown_user" };

/** One player line of a stored match, as a reader sees it. */
export interface MatchPlayerRow {
  seat: number;
  userId: number | null;
  nick: string;
  guest: boolean;
  score: number;
  placement: number;
  flagged: boolean;
  finished: boolean;
  resultSaved: boolean;
  pointsEarned: number;
}

/** One stored match with all its player lines (in seat order). */
export interface MatchRow {
  matchId: string;
  roomCode: string;
  mode: string;
  round: number;
  solo: boolean;
  outcome: string;
  startedAt: Date;
  endedAt: Date;
  players: MatchPlayerRow[];
}

/** `matches` and `match_players`. */
export interface MatchRepository {
  /** Stores a record and its player lines in one statement; a match_id already present writes nothing (concurrent duplicates included). */
  insert(record: MatchRecordBody): Promise<MatchInsertOutcome>;
  /** Up to `limit` matches `userId` played, newest first (ended_at, then match_id), strictly older than `before`. */
  listForUser(userId: number, limit: number, before?: { at: Date; id: string }): Promise<MatchRow[]>;
  /** Records the profile points each account earned in a match (decimal user id → points). */
  setPointsEarned(matchId: string, earned: Record<string, number>): Promise<void>;
  /** Per mode, the best placement of `userId` in completed multi-player matches it was not flagged in, and how many such matches. */
  bestPlacements(userId: number): Promise<Array<{ mode: string; placement: number; matches: number }>>;
}

interface PlayerDbRow {
  match_id: string;
  seat: number;
  user_id: number | null;
  nick: string;
  guest: boolean;
  score: string | number | bigint;
  placement: number;
  flagged: boolean;
  finished: boolean;
  result_saved: boolean;
  points_earned: number;
}

interface MatchDbRow {
  match_id: string;
  room_code: string;
  mode: string;
  round: number;
  solo: boolean;
  outcome: string;
  started_at: Date | string;
  ended_at: Date | string;
}

const FOREIGN_KEY_VIOLATION = "23503";

const toPlayer = (r: PlayerDbRow): MatchPlayerRow => ({
  seat: r.seat,
  userId: r.user_id,
  nick: r.nick,
  guest: r.guest,
  score: Number(r.score),
  placement: r.placement,
  flagged: r.flagged,
  finished: r.finished,
  resultSaved: r.result_saved,
  pointsEarned: r.points_earned,
});

export function createMatchRepository(db: Database): MatchRepository {
  async function pointsOf(matchId: string): Promise<Map<number, number>> {
    const rows = await db.sql.query<{ user_id: number; points_earned: number }>(
      `SELECT "user_id", "points_earned" FROM "match_players" WHERE "match_id" = $1 AND "user_id" IS NOT NULL`,
      [matchId],
    );
    return new Map(rows.map((r) => [r.user_id, r.points_earned]));
  }

  return {
    async insert(record) {
      const p = record.players;
      let inserted: number;
      try {
        // One statement: the match row and its players commit together or not at all, and
        // ON CONFLICT makes a concurrent duplicate wait for the first and then write nothing.
        const [row] = await db.sql.query<{ inserted: number }>(
          `WITH m AS (
             INSERT INTO "matches" ("match_id", "room_code", "mode", "round", "solo", "outcome", "started_at", "ended_at")
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT ("match_id") DO NOTHING
             RETURNING "match_id", "ended_at"
           ), p AS (
             INSERT INTO "match_players" ("match_id", "seat", "user_id", "nick", "guest", "score", "placement", "flagged", "finished", "result_saved", "result_id", "ended_at")
             SELECT m."match_id", x.seat - 1, x.user_id, x.nick, x.guest, x.score, x.placement, x.flagged, x.finished, x.result_saved, x.result_id, m."ended_at"
               FROM m CROSS JOIN unnest($9::int[], $10::text[], $11::boolean[], $12::bigint[], $13::int[], $14::boolean[], $15::boolean[], $16::boolean[], $17::uuid[])
                    WITH ORDINALITY AS x(user_id, nick, guest, score, placement, flagged, finished, result_saved, result_id, seat)
             RETURNING 1
           )
           SELECT (SELECT count(*) FROM m)::int AS inserted`,
          [
            record.match_id, record.room_code, record.mode, record.round, record.solo, record.outcome, record.started_at, record.ended_at,
            p.map((x) => (x.user_id === null ? null : Number(x.user_id))),
            p.map((x) => x.nick),
            p.map((x) => x.guest),
            p.map((x) => x.score),
            p.map((x) => x.placement),
            p.map((x) => x.flagged),
            p.map((x) => x.finished),
            p.map((x) => x.result_saved),
            p.map((x) => x.result_id),
          ],
        );
        inserted = row.inserted;
      } catch (err) {
        if ((err as { code?: string }).code === FOREIGN_KEY_VIOLATION) return { kind: "unknown_user" };
        throw err;
      }
      return { kind: inserted === 1 ? "stored" : "replay", pointsEarned: await pointsOf(record.match_id) };
    },

    async setPointsEarned(matchId, earned) {
      const ids = Object.keys(earned);
      if (ids.length === 0) return;
      await db.sql.query(
        `UPDATE "match_players" mp SET "points_earned" = e.points
           FROM unnest($2::int[], $3::int[]) AS e(user_id, points)
          WHERE mp."match_id" = $1 AND mp."user_id" = e.user_id AND mp."points_earned" <> e.points`,
        [matchId, ids.map(Number), ids.map((id) => earned[id])],
      );
    },

    async bestPlacements(userId) {
      const rows = await db.sql.query<{ mode: string; placement: number; matches: number }>(
        `SELECT m."mode", min(mp."placement")::int AS placement, count(*)::int AS matches
           FROM "match_players" mp JOIN "matches" m ON m."match_id" = mp."match_id"
          WHERE mp."user_id" = $1 AND m."outcome" = 'completed' AND NOT m."solo" AND NOT mp."flagged" AND mp."placement" > 0
          GROUP BY m."mode" ORDER BY m."mode"`,
        [userId],
      );
      return rows.map((r) => ({ mode: r.mode, placement: Number(r.placement), matches: Number(r.matches) }));
    },

    async listForUser(userId, limit, before) {
      const matches = await db.sql.query<MatchDbRow>(
        `SELECT m."match_id", m."room_code", m."mode", m."round", m."solo", m."outcome", m."started_at", m."ended_at"
           FROM "match_players" me JOIN "matches" m ON m."match_id" = me."match_id"
          WHERE me."user_id" = $1
            AND ($2::timestamptz IS NULL OR (me."ended_at", me."match_id") < ($2::timestamptz, $3::uuid))
          ORDER BY me."ended_at" DESC, me."match_id" DESC
          LIMIT $4`,
        [userId, before?.at.toISOString() ?? null, before?.id ?? null, limit],
      );
      if (matches.length === 0) return [];
      const players = await db.sql.query<PlayerDbRow>(
        `SELECT "match_id", "seat", "user_id", "nick", "guest", "score", "placement", "flagged", "finished", "result_saved", "points_earned"
           FROM "match_players" WHERE "match_id" = ANY($1::uuid[]) ORDER BY "match_id", "seat"`,
        [matches.map((m) => m.match_id)],
      );
      const byMatch = new Map<string, MatchPlayerRow[]>();
      for (const r of players) {
        const lines = byMatch.get(r.match_id) ?? [];
        lines.push(toPlayer(r));
        byMatch.set(r.match_id, lines);
      }
      return matches.map((m) => ({
        matchId: m.match_id,
        roomCode: m.room_code,
        mode: m.mode,
        round: m.round,
        solo: m.solo,
        outcome: m.outcome,
        startedAt: new Date(m.started_at),
        endedAt: new Date(m.ended_at),
        players: byMatch.get(m.match_id) ?? [],
      }));
    },
  };
}
