import { AppError } from "@arena/shared";
import type { MatchRecordBody, MatchRecordResponse } from "@arena/shared/contracts/internal-api";
import { decodePageCursor, toPage, type Page } from "../http/page-cursor.ts";
import type { MatchRepository, MatchRow } from "./match-repository.ts";

/** One player of a match as other players see it (flags and result ids stay private). */
export interface MatchPlayerView {
  nick: string;
  guest: boolean;
  score: number;
  placement: number;
  finished: boolean;
  /** True on the caller's own line. */
  you: boolean;
}

/** One match in a player's history, told from that player's seat. */
export interface MyMatch {
  match_id: string;
  room_code: string;
  mode: string;
  round: number;
  solo: boolean;
  outcome: string;
  started_at: string;
  ended_at: string;
  /** The caller's own line. */
  me: { score: number; placement: number; flagged: boolean; finished: boolean; result_saved: boolean; points_earned: number };
  /** Every player in seat order, the caller included. */
  players: MatchPlayerView[];
}

/** Match records from the game server and each player's match history. */
export interface MatchService {
  /** Stores a match record once per match_id (a replay writes nothing and answers replay:true); VALIDATION_FAILED for an inconsistent record or an unknown user. */
  record(body: MatchRecordBody): Promise<MatchRecordResponse>;
  /** The matches `userId` played, newest first, one page of `limit` after the cursor `before`. */
  history(userId: number, limit: number, before?: string): Promise<Page<MyMatch>>;
}

/** users.id and the other integer columns are PostgreSQL integers. */
const MAX_INT = 2_147_483_647;

/**
 * What is wrong with a record that its schema cannot see, or null: time order, the
 * account/guest pairing, one line per account, placements within the field.
 */
export function matchRecordProblem(body: MatchRecordBody): string | null {
  if (Date.parse(body.ended_at) < Date.parse(body.started_at)) return "ended_at is before started_at.";
  if (body.round > MAX_INT) return `round is at most ${MAX_INT}.`;
  const accounts = new Set<string>();
  for (const [i, player] of body.players.entries()) {
    if (player.guest !== (player.user_id === null)) return `players.${i}: a guest has no user_id and an account has one.`;
    if (player.user_id !== null) {
      if (accounts.has(player.user_id)) return `players.${i}: user ${player.user_id} appears twice.`;
      accounts.add(player.user_id);
    }
    if (player.placement > body.players.length) return `players.${i}: placement is at most the number of players.`;
  }
  return null;
}

function toMyMatch(row: MatchRow, userId: number): MyMatch {
  const mine = row.players.find((p) => p.userId === userId);
  if (!mine) throw new Error(`match ${row.matchId} listed for user ${userId} without their line`);
  return {
    match_id: row.matchId,
    room_code: row.roomCode,
    mode: row.mode,
    round: row.round,
    solo: row.solo,
    outcome: row.outcome,
    started_at: row.startedAt.toISOString(),
    ended_at: row.endedAt.toISOString(),
    me: { score: mine.score, placement: mine.placement, flagged: mine.flagged, finished: mine.finished, result_saved: mine.resultSaved, points_earned: mine.pointsEarned },
    players: row.players.map((p) => ({ nick: p.nick, guest: p.guest, score: p.score, placement: p.placement, finished: p.finished, you: p === mine })),
  };
}

/** Credits a stored match's profile points, idempotent by match id (decimal user id → points). */
export type CreditMatchPoints = (record: MatchRecordBody) => Promise<Record<string, number>>;

export function createMatchService(deps: { matches: MatchRepository; creditPoints?: CreditMatchPoints }): MatchService {
  return {
    async record(body) {
      const problem = matchRecordProblem(body);
      if (problem) throw new AppError("VALIDATION_FAILED", problem);
      const outcome = await deps.matches.insert(body);
      if (outcome.kind === "unknown_user") throw new AppError("VALIDATION_FAILED", "Unknown user.");
      // Credited after the record is stored, on replays too: a delivery that failed between the two
      // is retried by the game server, and the ledger pays each (user, match) once.
      const credited = deps.creditPoints ? await deps.creditPoints(body) : undefined;
      if (credited) await deps.matches.setPointsEarned(body.match_id, credited);
      // One key per account player.
      const pointsEarned: Record<string, number> = {};
      for (const player of body.players) {
        if (player.user_id !== null) pointsEarned[player.user_id] = credited?.[player.user_id] ?? outcome.pointsEarned.get(Number(player.user_id)) ?? 0;
      }
      return { success: true, match_id: body.match_id, replay: outcome.kind === "replay", points_earned: pointsEarned };
    },

    async history(userId, limit, before) {
      const rows = await deps.matches.listForUser(userId, limit + 1, before === undefined ? undefined : decodePageCursor(before));
      const page = toPage(rows, limit, (r) => ({ at: r.endedAt, id: r.matchId }));
      return { items: page.items.map((r) => toMyMatch(r, userId)), next_before: page.next_before };
    },
  };
}
