/** Where a breaker stands: `closed` lets calls through, `open` refuses them, `half-open` lets a trial through. */
export type BreakerState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  /** The dependency's name ("redis", "db"), carried by the errors it raises. */
  name: string;
  /** Consecutive failures that open the breaker. */
  failureThreshold?: number;
  /** How long an open breaker refuses calls before it lets a trial through (ms). */
  openMs?: number;
  /** Clock in epoch ms. */
  now?: () => number;
}

/** Raised instead of calling a dependency whose breaker is open: the caller answers 503 at once. */
export class DependencyUnavailableError extends Error {
  override name = "DependencyUnavailableError";
  constructor(
    readonly dependency: string,
    /** Seconds after which a retry has a chance. */
    readonly retryAfter: number,
  ) {
    super(`${dependency} is unavailable`);
  }
}

/**
 * A per-dependency circuit breaker. Closed: calls go through and consecutive failures are
 * counted; at `failureThreshold` it opens. Open: calls are refused at once for `openMs`.
 * Half-open: calls go through again as trials; the first success closes it, the first
 * failure opens it for another `openMs`. Success and failure are reported by the caller, so
 * it fits any client (a Redis command, a pool connection).
 */
export class CircuitBreaker {
  readonly name: string;
  private readonly threshold: number;
  private readonly openMs: number;
  private readonly now: () => number;
  private failures = 0;
  private openedAt: number | null = null;

  constructor(options: CircuitBreakerOptions) {
    this.name = options.name;
    this.threshold = options.failureThreshold ?? 3;
    this.openMs = options.openMs ?? 2000;
    this.now = options.now ?? Date.now;
  }

  /** The current state (open turns half-open once `openMs` has passed). */
  get state(): BreakerState {
    if (this.openedAt === null) return "closed";
    return this.now() - this.openedAt >= this.openMs ? "half-open" : "open";
  }

  /** Throws DependencyUnavailableError while open; otherwise returns (the call may proceed). */
  check(): void {
    if (this.state !== "open") return;
    const left = this.openMs - (this.now() - this.openedAt!);
    throw new DependencyUnavailableError(this.name, Math.max(1, Math.ceil(left / 1000)));
  }

  /** A call succeeded: the dependency answers. */
  success(): void {
    this.failures = 0;
    this.openedAt = null;
  }

  /** A call failed because of the dependency (not because of the request). */
  failure(): void {
    this.failures++;
    if (this.state === "half-open" || this.failures >= this.threshold) this.openedAt = this.now();
  }

  /** Runs `call` under the breaker; `isOutage` tells which errors count against the dependency. */
  async run<T>(call: () => Promise<T>, isOutage: (err: unknown) => boolean): Promise<T> {
    this.check();
    try {
      const result = await call();
      this.success();
      return result;
    } catch (err) {
      if (isOutage(err)) this.failure();
      else this.success();
      throw err;
    }
  }
}
