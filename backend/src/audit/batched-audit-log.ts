import type { Database } from "@arena/db";
import type pino from "pino";
import type { AuditEvent, AuditLog } from "../backend-context.ts";

/** Audit event names written by the scores, scoreboard, admin and chat components. */
export const AuditEventName = {
  ScoreUpdate: "score.update",
  AuthFailed: "auth.failed",
  RateLimited: "score.rate_limited",
  TemporaryBan: "score.temporary_ban",
  Flag: "flag.created",
  WsConnect: "ws.connect",
  WsDisconnect: "ws.disconnect",
  AdminClear: "admin.clear",
  AdminBan: "admin.ban",
  AdminChatRead: "admin.chat_read",
} as const;

/**
 * {@link AuditLog} that buffers events and writes them with one multi-row INSERT every
 * `flushMs` (or once `maxBuffered` are waiting), so auditing never sits on the request path.
 * Events are also logged at debug level. `close()` flushes what is left.
 */
export class BatchedAuditLog implements AuditLog {
  private buffer: (AuditEvent & { at: Date })[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly log: pino.Logger,
    private readonly now: () => number,
    private readonly options = { flushMs: 200, maxBuffered: 1_000 },
  ) {}

  async record(event: AuditEvent): Promise<void> {
    this.buffer.push({ ...event, at: new Date(this.now()) });
    if (this.buffer.length >= this.options.maxBuffered) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs);
  }

  /** Writes everything buffered so far. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.buffer.splice(0);
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  private async write(batch: (AuditEvent & { at: Date })[]): Promise<void> {
    try {
      await this.db.sql.query(
        `INSERT INTO audit_log (at, event, user_id, ip, data)
         SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::int[], $4::text[], $5::jsonb[])`,
        [
          batch.map((e) => e.at),
          batch.map((e) => e.event.slice(0, 48)),
          batch.map((e) => e.userId ?? null),
          batch.map((e) => e.ip?.slice(0, 64) ?? null),
          batch.map((e) => JSON.stringify(e.data ?? {})),
        ],
      );
    } catch (err) {
      this.log.error({ err, lost: batch.length }, "audit write failed");
    }
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
