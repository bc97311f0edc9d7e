import { AppError } from "@arena/shared";
import { toAppError } from "@arena/shared/contracts/app-error-mapping";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/**
 * A per-key budget of requests per minute, in this process (like the backend's login budget): one
 * address cannot mint tickets, nor one account create rooms, without bound. Past the budget the
 * request is refused RATE_LIMIT_EXCEEDED with `retry_after`. A request that fails on the server's
 * side (5xx: a dependency outage) is given back, so retrying through an outage costs nothing.
 * Behind N game-server processes a client gets at most N budgets, which these limits allow for.
 */
export class RequestBudget {
  private readonly limiter: RateLimiterMemory;

  /** `perMinute` requests per key per rolling minute; `name` keeps budgets apart. */
  constructor(name: string, perMinute: number) {
    this.limiter = new RateLimiterMemory({ keyPrefix: name, points: perMinute, duration: 60 });
  }

  /**
   * Runs `work` on one request of `key`'s budget: throws RATE_LIMIT_EXCEEDED (with seconds to wait)
   * when none is left; gives the request back when `work` fails with a 5xx.
   */
  async spend<T>(key: string, work: () => Promise<T>): Promise<T> {
    try {
      await this.limiter.consume(key);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw new AppError("RATE_LIMIT_EXCEEDED", undefined, Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
    }
    try {
      return await work();
    } catch (err) {
      if (toAppError(err).status >= 500) await this.limiter.reward(key, 1);
      throw err;
    }
  }
}
