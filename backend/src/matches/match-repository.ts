import type { Database } from "@arena/db";
import type { MatchRecordBody } from "@arena/shared/contracts/internal-api";
import { GroupCommitBatcher, type BatcherOptions } from "../scores/group-commit-batcher.ts";

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
  /** Stores a record and its player lines, group-committed with the records arriving meanwhile (one statement per batch); a match_id already present writes nothing (concurrent duplicates included). */
  insert(record: MatchRecordBody): Promise<MatchInsertOutcome>;
  /** Up to `limit` matches `userId` played, newest first (ended_at, then match_id), strictly older than `before`. */
  listForUser(userId: number, limit: number, before?: { at: Date; id: string }): Promise<MatchRow[]>;
  /** Records the profile points each account earned in a match (decimal user id → points); group-committed like `insert`. */
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

/** Records stored or points written together in one statement; `insert` and `setPointsEarned` callers each wait for their batch. */
const MATCH_BATCH: BatcherOptions = { maxBatch: 128, maxWaitMs: 0, concurrency: 4 };
/** A deadlock or a unique violation between two batches racing on the same match ids: the retry sees the winner's rows. */
const RETRYABLE = new Set(["23505", "40P01", "40001"]);

/**
 * Stores match records in groups: every `insert` waiting while a batch commits goes into the next
 * batch, ONE statement (one round trip, one commit) for all of them — the match rows in match-id
 * order (so racing batches lock in the same order) with ON CONFLICT DO NOTHING (the idempotency key:
 * a stored match_id writes nothing again and answers replay), then the players of the rows that
 * were new. A record naming an unknown user fails its batch on the foreign key; the batch is then
 * stored record by record, so only that record answers unknown_user.
 */
export function createMatchRepository(db: Database, options: { batch?: BatcherOptions } = {}): MatchRepository {
  async function storeOnce(records: MatchRecordBody[]): Promise<{ stored: Set<string>; points: Map<string, Map<number, number>> }> {
    const ids = records.map((r) => r.match_id);
    const seats = records.flatMap((r) => r.players.map((x, seat) => ({ matchId: r.match_id, seat, x })));
    const rows = await db.sql.query<{ k: "m" | "p"; match_id: string; user_id: number | null; points_earned: number | null }>(
      `WITH m AS (
         INSERT INTO "matches" ("match_id", "room_code", "mode", "round", "solo", "outcome", "started_at", "ended_at")
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::boolean[], $6::text[], $7::timestamptz[], $8::timestamptz[])
          ORDER BY 1
         ON CONFLICT ("match_id") DO NOTHING
         RETURNING "match_id", "ended_at"
       ), p AS (
         INSERT INTO "match_players" ("match_id", "seat", "user_id", "nick", "guest", "score", "placement", "flagged", "finished", "result_saved", "result_id", "ended_at")
         SELECT m."match_id", x.seat, x.user_id, x.nick, x.guest, x.score, x.placement, x.flagged, x.finished, x.result_saved, x.result_id, m."ended_at"
           FROM unnest($9::uuid[], $10::int[], $11::int[], $12::text[], $13::boolean[], $14::bigint[], $15::int[], $16::boolean[], $17::boolean[], $18::boolean[], $19::uuid[])
                AS x(match_id, seat, user_id, nick, guest, score, placement, flagged, finished, result_saved, result_id)
           JOIN m ON m."match_id" = x.match_id
         RETURNING 1
       )
       SELECT 'm' AS k, "match_id"::text, NULL::int AS user_id, NULL::int AS points_earned FROM m
       UNION ALL
       SELECT 'p', "match_id"::text, "user_id", "points_earned" FROM "match_players"
        WHERE "match_id" = ANY($1::uuid[]) AND "user_id" IS NOT NULL`,
      [
        ids,
        records.map((r) => r.room_code),
        records.map((r) => r.mode),
        records.map((r) => r.round),
        records.map((r) => r.solo),
        records.map((r) => r.outcome),
        records.map((r) => r.started_at),
        records.map((r) => r.ended_at),
        seats.map((s) => s.matchId),
        seats.map((s) => s.seat),
        seats.map((s) => (s.x.user_id === null ? null : Number(s.x.user_id))),
        seats.map((s) => s.x.nick),
        seats.map((s) => s.x.guest),
        seats.map((s) => s.x.score),
        seats.map((s) => s.x.placement),
        seats.map((s) => s.x.flagged),
        seats.map((s) => s.x.finished),
        seats.map((s) => s.x.result_saved),
        seats.map((s) => s.x.result_id),
      ],
    );
    // The statement's snapshot does not see its own new players: those earned nothing yet (0).
    const stored = new Set<string>();
    const points = new Map<string, Map<number, number>>();
    for (const r of rows) {
      if (r.k === "m") stored.add(r.match_id);
      else {
        const m = points.get(r.match_id) ?? new Map<number, number>();
        m.set(Number(r.user_id), Number(r.points_earned));
        points.set(r.match_id, m);
      }
    }
    return { stored, points };
  }

  async function storeRetrying(records: MatchRecordBody[]): ReturnType<typeof storeOnce> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await storeOnce(records);
      } catch (err) {
        if (attempt >= 4 || !RETRYABLE.has((err as { code?: string }).code ?? "")) throw err;
      }
    }
  }

  async function storeBatch(batch: MatchRecordBody[]): Promise<MatchInsertOutcome[]> {
    // The first record of each match_id goes into the statement; a repeat in the same batch is its replay.
    const first = new Map<string, MatchRecordBody>();
    for (const r of batch) if (!first.has(r.match_id)) first.set(r.match_id, r);
    const unique = [...first.values()];
    let result: Awaited<ReturnType<typeof storeOnce>>;
    try {
      result = await storeRetrying(unique);
    } catch (err) {
      if ((err as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw err;
      if (unique.length === 1) return batch.map(() => ({ kind: "unknown_user" }));
      const alone = await Promise.all(unique.map((r) => storeBatch([r])));
      const byId = new Map(unique.map((r, i) => [r.match_id, alone[i][0]]));
      const seen = new Set<string>();
      return batch.map((r) => {
        const outcome = byId.get(r.match_id)!;
        if (seen.has(r.match_id) && outcome.kind === "stored") return { kind: "replay", pointsEarned: outcome.pointsEarned };
        seen.add(r.match_id);
        return outcome;
      });
    }
    const answered = new Set<string>();
    return batch.map((r) => {
      const pointsEarned = new Map(result.points.get(r.match_id) ?? []);
      const fresh = result.stored.has(r.match_id) && !answered.has(r.match_id);
      answered.add(r.match_id);
      if (fresh) for (const x of r.players) if (x.user_id !== null) pointsEarned.set(Number(x.user_id), 0);
      return fresh ? { kind: "stored", pointsEarned } : { kind: "replay", pointsEarned };
    });
  }

  async function writePoints(batch: { matchId: string; earned: Record<string, number> }[]): Promise<void[]> {
    const lines = batch.flatMap((b) => Object.entries(b.earned).map(([userId, points]) => ({ matchId: b.matchId, userId: Number(userId), points })));
    if (lines.length > 0) {
      await db.sql.query(
        `UPDATE "match_players" mp SET "points_earned" = e.points
           FROM unnest($1::uuid[], $2::int[], $3::int[]) AS e(match_id, user_id, points)
          WHERE mp."match_id" = e.match_id AND mp."user_id" = e.user_id AND mp."points_earned" <> e.points`,
        [lines.map((l) => l.matchId), lines.map((l) => l.userId), lines.map((l) => l.points)],
      );
    }
    return batch.map(() => undefined);
  }

  const inserts = new GroupCommitBatcher(storeBatch, options.batch ?? MATCH_BATCH);
  const pointWrites = new GroupCommitBatcher(writePoints, options.batch ?? MATCH_BATCH);

  return {
    insert: (record) => inserts.submit(record),

    async setPointsEarned(matchId, earned) {
      if (Object.keys(earned).length === 0) return;
      await pointWrites.submit({ matchId, earned });
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
