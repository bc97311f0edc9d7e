import { AppError } from "@arena/shared";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/**
 * A per-key budget of requests per minute, in this process (like the backend's login budget): one
 * address cannot mint tickets, nor one account create rooms, without bound. Past the budget the
 * request is refused RATE_LIMIT_EXCEEDED with `retry_after`. Behind N game-server processes a
 * client gets at most N budgets, which these limits allow for.
 */
export class RequestBudget {
  private readonly limiter: RateLimiterMemory;

  /** `perMinute` requests per key per rolling minute; `name` keeps budgets apart. */
  constructor(name: string, perMinute: number) {
    this.limiter = new RateLimiterMemory({ keyPrefix: name, points: perMinute, duration: 60 });
  }

  /** Spends one request of `key`'s budget; throws RATE_LIMIT_EXCEEDED (with seconds to wait) when none is left. */
  async spend(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw new AppError("RATE_LIMIT_EXCEEDED", undefined, Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
    }
  }
}
