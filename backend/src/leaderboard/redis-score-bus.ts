import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type pino from "pino";
import { MemoryScoreBus } from "./memory-score-bus.ts";
import type { CommitEvent } from "./score-bus.ts";

/**
 * The score bus over Redis pub/sub on `channel`: every process hears every commit. It delivers to its own
 * handlers first, then publishes; a message carries its origin so a process skips its own. The subscriber
 * is a connection of its own (a subscribed Redis connection can run no other command).
 */
export class RedisScoreBus extends MemoryScoreBus {
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
