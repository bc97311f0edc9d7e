import { CloseCode, Room, type Client, type MessageContext } from "@colyseus/core";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Logger } from "pino";

/** Refusal log lines one connection may cause per window; the rest are counted, not written. */
const REFUSAL_LINES = 3;
const REFUSAL_WINDOW_MS = 60_000;

/**
 * A room whose message validation is client input, not a server error: Colyseus logs a failed
 * schema as an error with a stack trace, so any client could fill the error log at will. Here a
 * message that fails its schema is refused — its sender is disconnected, as Colyseus does — and
 * logged at warn level on one line (type, first issue, session), at most {@link REFUSAL_LINES}
 * lines per connection per minute.
 */
export abstract class GuardedRoom<T extends object = object> extends Room<T> {
  /** Where refusals are logged (the bound room's context). */
  protected abstract ctx: { log: Logger };
  private readonly refusalLines = new WeakMap<Client, { since: number; lines: number; dropped: number }>();

  override onMessage<M = any, C extends Client = any>(messageType: "*", callback: (client: C, type: string | number, message: M) => void): any;
  override onMessage<M = any, C extends Client = any>(messageType: string | number, callback: (client: C, message: M, ctx: MessageContext) => unknown): any;
  override onMessage<M = any, C extends Client = any>(messageType: string | number, validationSchema: StandardSchemaV1<M>, callback: (client: C, message: M, ctx: MessageContext) => unknown): any;
  override onMessage(messageType: string | number, schemaOrCallback: any, callback?: any): any {
    if (callback === undefined) return super.onMessage(messageType, schemaOrCallback);
    const schema = schemaOrCallback as StandardSchemaV1;
    return super.onMessage(messageType, (client: Client, message: unknown, ctx: MessageContext) => {
      const result = schema["~standard"].validate(message);
      if (result instanceof Promise) throw new Error("message schemas must be synchronous");
      if (result.issues) return this.refuseMessage(client, messageType, result.issues);
      return callback(client, result.value, ctx);
    });
  }

  /** Disconnects the sender of a malformed message, with a rate-limited one-line warning. */
  private refuseMessage(client: Client, type: string | number, issues: ReadonlyArray<StandardSchemaV1.Issue>): void {
    const now = Date.now();
    let budget = this.refusalLines.get(client);
    if (!budget || now - budget.since >= REFUSAL_WINDOW_MS) this.refusalLines.set(client, (budget = { since: now, lines: 0, dropped: 0 }));
    if (budget.lines < REFUSAL_LINES) {
      budget.lines++;
      const [first] = issues;
      const path = first?.path?.map((p) => (typeof p === "object" ? String(p.key) : String(p))).join(".") || "message";
      this.ctx.log.warn({ roomId: this.roomId, sessionId: client.sessionId, type, issue: `${path}: ${first?.message ?? "invalid"}`, dropped: budget.dropped }, "malformed room message refused");
    } else {
      budget.dropped++;
    }
    client.leave(CloseCode.WITH_ERROR);
  }
}
