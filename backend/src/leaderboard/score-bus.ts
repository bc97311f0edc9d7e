import type { ScoreRow } from "./rank-cache.ts";

/** One user's score change, for their SCORE_UPDATE message. */
export interface ScoreChange {
  userId: number;
  board: string;
  newScore: number;
  rank: number;
  pointsGained: number;
}

/** What one group commit changed, published to every backend process. */
export interface CommitEvent {
  /** Commit time, epoch ms. */
  at: number;
  /** Every score row the commit changed (all periods). */
  rows: ScoreRow[];
  /** Per committed action, for SCORE_UPDATE. */
  changes: ScoreChange[];
  /** Boards and periods whose rows were removed (bans); their snapshots must be rebuilt. */
  removed?: { board: string; period: string }[];
}

/**
 * Fan-out of commit events to every backend process: in-process only ({@link MemoryScoreBus}),
 * or Redis pub/sub when REDIS_URL is set (redis-score-bus.ts). Handlers on the publishing
 * process run without a Redis round trip. The score service publishes; the leaderboard
 * service and the scoreboard hub subscribe (wired in app.ts).
 */
export interface ScoreBus {
  /** Delivers `event` to the handlers of every process (this one included). */
  publish(event: CommitEvent): Promise<void>;
  /** Adds a handler for events from any process. */
  subscribe(handler: (event: CommitEvent) => void): void;
  /** Closes its connections. */
  close(): Promise<void>;
}
