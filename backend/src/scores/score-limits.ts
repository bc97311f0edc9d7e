import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "@arena/shared";
import { rateLimitKeys } from "@arena/shared/contracts/redis-keys";

/** The knobs of the score rate limits (config keys of the same names). */
export interface ScoreLimitsConfig {
  RATE_LIMIT_PER_USER: number;
  RATE_LIMIT_GLOBAL: number;
  RATE_LIMIT_WINDOW: number;
  PENALTY_VIOLATIONS: number;
  PENALTY_WINDOW: number;
  PENALTY_BASE_BAN: number;
  PENALTY_MAX_BAN: number;
  PENALTY_MEMORY: number;
  SUSPICIOUS_VELOCITY_THRESHOLD: number;
  VELOCITY_WINDOW: number;
  MANUAL_REVIEW_THRESHOLD: number;
  MANUAL_REVIEW_WINDOW: number;
}

/** Something the limits noticed, for the audit log and the review queue. */
export type LimitEvent =
  | { kind: "rate_limited"; userId: string; scope: "user" | "global"; retryAfter: number }
  | { kind: "temporary_ban"; userId: string; strike: number; seconds: number }
  | { kind: "velocity"; userId: string; pointsInWindow: number; windowSeconds: number }
  | { kind: "review_threshold"; userId: string; pointsInWindow: number; windowSeconds: number };

/** Rate limits, progressive penalties and velocity tracking for score updates. */
export interface ScoreLimits {
  /**
   * Admits one score request of `userId` or throws: TEMPORARILY_BANNED while a penalty ban runs,
   * RATE_LIMIT_EXCEEDED over the per-user or global limit (with `retry_after` seconds). The
   * PENALTY_VIOLATIONS-th per-user violation within PENALTY_WINDOW starts a ban of
   * PENALTY_BASE_BAN × 2^(strike−1) seconds (capped at PENALTY_MAX_BAN); strikes are remembered
   * for PENALTY_MEMORY seconds.
   */
  admit(userId: string): Promise<void>;
  /** Counts accepted points; reports the first crossing of the velocity and review thresholds. */
  trackPoints(userId: string, points: number): Promise<LimitEvent[]>;
}

const secondsOf = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

export function createScoreLimits(options: {
  config: ScoreLimitsConfig;
  /** Shared store; in-process memory when absent. */
  redis?: Redis;
  prefix: string;
  onEvent(event: LimitEvent): void;
}): ScoreLimits {
  const { config, redis, prefix, onEvent } = options;
  // With Redis, an in-process limiter takes over while Redis is unreachable (per process, not shared).
  const make = (name: string, points: number, duration: number): RateLimiterAbstract =>
    redis
      ? new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: rateLimitKeys(prefix, name),
          points,
          duration,
          insuranceLimiter: new RateLimiterMemory({ keyPrefix: `insurance:${name}`, points, duration }),
        })
      : new RateLimiterMemory({ keyPrefix: name, points, duration });

  const perUser = make("user", config.RATE_LIMIT_PER_USER, config.RATE_LIMIT_WINDOW);
  const global = make("global", config.RATE_LIMIT_GLOBAL, config.RATE_LIMIT_WINDOW);
  const violations = make("violations", config.PENALTY_VIOLATIONS - 1, config.PENALTY_WINDOW);
  const strikes = make("strikes", 1_000_000, config.PENALTY_MEMORY);
  const bans = make("bans", 1, config.PENALTY_MAX_BAN);
  const velocity = make("velocity", config.SUSPICIOUS_VELOCITY_THRESHOLD * config.VELOCITY_WINDOW, config.VELOCITY_WINDOW);
  const review = make("review", config.MANUAL_REVIEW_THRESHOLD, config.MANUAL_REVIEW_WINDOW);

  const rejected = (err: unknown): RateLimiterRes => {
    if (err instanceof RateLimiterRes) return err;
    throw err;
  };

  const settle = (p: Promise<RateLimiterRes>) =>
    p.then((res) => ({ ok: true as const, res }), (err: unknown) => ({ ok: false as const, res: rejected(err) }));

  async function penalise(userId: string): Promise<void> {
    try {
      await violations.consume(userId);
      return;
    } catch (err) {
      rejected(err);
    }
    const strike = (await strikes.consume(userId)).consumedPoints;
    const seconds = Math.min(config.PENALTY_MAX_BAN, config.PENALTY_BASE_BAN * 2 ** (strike - 1));
    await bans.block(userId, seconds);
    await violations.delete(userId);
    onEvent({ kind: "temporary_ban", userId, strike, seconds });
    throw new AppError("TEMPORARILY_BANNED", `Temporarily banned for ${seconds} s after repeated rate-limit violations.`, seconds);
  }

  return {
    async admit(userId) {
      // Ban and per-user limit first (together: one round trip), the shared global budget only for
      // requests that pass both, so one account hammering past its own limit cannot spend everyone's.
      // (A banned user's requests still count against their own per-user window.)
      const [ban, user] = await Promise.all([bans.get(userId), settle(perUser.consume(userId))]);
      if (ban && ban.consumedPoints > 1) throw new AppError("TEMPORARILY_BANNED", undefined, secondsOf(ban));
      if (!user.ok) {
        onEvent({ kind: "rate_limited", userId, scope: "user", retryAfter: secondsOf(user.res) });
        await penalise(userId);
        throw new AppError("RATE_LIMIT_EXCEEDED", `At most ${config.RATE_LIMIT_PER_USER} score updates per ${config.RATE_LIMIT_WINDOW} s.`, secondsOf(user.res));
      }
      const all = await settle(global.consume("all"));
      if (!all.ok) {
        onEvent({ kind: "rate_limited", userId, scope: "global", retryAfter: secondsOf(all.res) });
        throw new AppError("RATE_LIMIT_EXCEEDED", "The service is busy; try again shortly.", secondsOf(all.res));
      }
    },

    async trackPoints(userId, points) {
      if (points <= 0) return [];
      const events: LimitEvent[] = [];
      const checks = [
        { limiter: velocity, limit: config.SUSPICIOUS_VELOCITY_THRESHOLD * config.VELOCITY_WINDOW, kind: "velocity", window: config.VELOCITY_WINDOW },
        { limiter: review, limit: config.MANUAL_REVIEW_THRESHOLD, kind: "review_threshold", window: config.MANUAL_REVIEW_WINDOW },
      ] as const;
      for (const check of checks) {
        let consumed: number;
        try {
          consumed = (await check.limiter.consume(userId, points)).consumedPoints;
        } catch (err) {
          consumed = rejected(err).consumedPoints;
        }
        if (consumed > check.limit && consumed - points <= check.limit) {
          events.push({ kind: check.kind, userId, pointsInWindow: consumed, windowSeconds: check.window });
        }
      }
      return events;
    },
  };
}
