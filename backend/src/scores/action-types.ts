import { Board, GameMode } from "@arena/shared";

/** How one action type scores. */
export interface ActionType {
  /** The board its points go to. */
  board: Board;
  /** Whether `POST /api/scores` accepts it. Game boards are server-authoritative: only game results. */
  clientMayPost: boolean;
  /** Largest points value for this type (further capped by MAX_POINTS_PER_ACTION for client types). */
  maxPoints: number;
  /** Smallest points value. */
  minPoints: number;
}

/**
 * The action types the score service knows. Clients may post the general-board types; each
 * game mode's board accepts only `game_result:<mode>`, which only the game server sends (through
 * `POST /internal/game-results`), as authoritative leaderboards in Nakama and server-only
 * statistics in PlayFab do.
 */
export const ACTION_TYPES: Record<string, ActionType> = {
  /** A completed in-app action (a user performed an action the product rewards). */
  action_complete: { board: Board.General, clientMayPost: true, minPoints: 1, maxPoints: 1_000 },
  /** An achievement unlocked. */
  achievement_unlocked: { board: Board.General, clientMayPost: true, minPoints: 1, maxPoints: 1_000 },
  [gameResultType(GameMode.Classic)]: { board: Board.Classic, clientMayPost: false, minPoints: 0, maxPoints: 2_147_483_647 },
  [gameResultType(GameMode.Shaky)]: { board: Board.Shaky, clientMayPost: false, minPoints: 0, maxPoints: 2_147_483_647 },
  /** Steps: the points are the elapsed time in ms; the board keeps each player's lowest. */
  [gameResultType(GameMode.Steps)]: { board: Board.Steps, clientMayPost: false, minPoints: 0, maxPoints: 2_147_483_647 },
};

/** The action type of a game server result for `mode`. */
export function gameResultType(mode: GameMode): string {
  return `game_result:${mode}`;
}

/** Client-postable action types (documented in docs/api-scores.md). */
export const CLIENT_ACTION_TYPES = Object.entries(ACTION_TYPES)
  .filter(([, t]) => t.clientMayPost)
  .map(([name]) => name);
