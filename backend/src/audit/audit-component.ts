import type { AuditLog, BackendComponent, BackendDeps } from "../backend-context.ts";
import { BatchedAuditLog } from "./batched-audit-log.ts";

/** The audit trail as a component: build it first, put `audit` on the context, register it first so it closes (flushes) last. */
export function createAuditComponent(deps: BackendDeps): BackendComponent & { audit: AuditLog } {
  const audit = new BatchedAuditLog(deps.db, deps.log, deps.now ?? Date.now);
  return { name: "audit", audit, close: () => audit.close() };
}
