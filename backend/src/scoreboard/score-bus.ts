import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type pino from "pino";
import type { ScoreRow } from "../leaderboard/rank-cache.ts";

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
 * Fan-out of commit events to every backend process: in-process only, or Redis pub/sub
 * when REDIS_URL is set. Handlers on the publishing process run without a Redis round trip.
 */
export interface ScoreBus {
  /** Delivers `event` to the handlers of every process (this one included). */
  publish(event: CommitEvent): Promise<void>;
  /** Adds a handler for events from any process. */
  subscribe(handler: (event: CommitEvent) => void): void;
  /** Closes its connections. */
  close(): Promise<void>;
}

export class LocalScoreBus implements ScoreBus {
  protected readonly handlers: ((event: CommitEvent) => void)[] = [];

  async publish(event: CommitEvent): Promise<void> {
    this.deliver(event);
  }

  subscribe(handler: (event: CommitEvent) => void): void {
    this.handlers.push(handler);
  }

  protected deliver(event: CommitEvent): void {
    for (const handler of this.handlers) handler(event);
  }

  async close(): Promise<void> {}
}

export class RedisScoreBus extends LocalScoreBus {
  private readonly origin = randomUUID();
  private readonly sub: Redis;

  constructor(
    private readonly pub: Redis,
    url: string,
    private readonly channel: string,
    log: pino.Logger,
  ) {
    super();
    this.sub = new Redis(url, { maxRetriesPerRequest: null });
    this.sub.on("error", (err) => log.warn({ err }, "score bus subscriber error"));
    void this.sub.subscribe(channel);
    this.sub.on("message", (_channel: string, raw: string) => {
      try {
        const { origin, event } = JSON.parse(raw) as { origin: string; event: CommitEvent };
        if (origin !== this.origin) this.deliver(event);
      } catch (err) {
        log.warn({ err }, "bad score bus message");
      }
    });
  }

  /** Resolves once the subscription is live (tests). */
  async ready(): Promise<void> {
    if (this.sub.status !== "ready") await new Promise((resolve) => this.sub.once("ready", resolve));
  }

  override async publish(event: CommitEvent): Promise<void> {
    this.deliver(event);
    await this.pub.publish(this.channel, JSON.stringify({ origin: this.origin, event }));
  }

  override async close(): Promise<void> {
    this.sub.disconnect();
  }
}
