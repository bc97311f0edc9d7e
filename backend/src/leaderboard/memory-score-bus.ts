import type { CommitEvent, ScoreBus } from "./score-bus.ts";

/** The in-process bus: handlers run synchronously inside `publish`. */
export class MemoryScoreBus implements ScoreBus {
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
