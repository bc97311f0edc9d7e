import type { AuditLog } from "../backend-context.ts";
import { AuditEventName } from "../audit/batched-audit-log.ts";
import type { LimitEvent } from "./score-limits.ts";

/**
 * What the score limits noticed, recorded: rate limits and bans go to the audit log; a third
 * ban strike, a velocity burst or a crossed review threshold also raises a review flag.
 */
export function limitEventReporter(deps: {
  audit: AuditLog;
  /** Raises a flag for the review queue. */
  flag(userId: number, reason: string, evidence: Record<string, unknown>): Promise<void>;
}): (event: LimitEvent) => void {
  const { audit, flag } = deps;
  return (event) => {
    const userId = Number(event.userId);
    if (event.kind === "rate_limited") {
      void audit.record({ event: AuditEventName.RateLimited, userId, data: { scope: event.scope, retry_after: event.retryAfter } });
    } else if (event.kind === "temporary_ban") {
      void audit.record({ event: AuditEventName.TemporaryBan, userId, data: { strike: event.strike, seconds: event.seconds } });
      if (event.strike >= 3) void flag(userId, "REPEATED_RATE_LIMIT", { strike: event.strike, ban_seconds: event.seconds });
    } else {
      const reason = event.kind === "velocity" ? "SUSPICIOUS_VELOCITY" : "MANUAL_REVIEW_THRESHOLD";
      void flag(userId, reason, { points_in_window: event.pointsInWindow, window_seconds: event.windowSeconds });
    }
  };
}
