import type express from "express";
import { AppError } from "@arena/shared";
import type { AuditLog } from "../backend-context.ts";
import { AuditEventName } from "../audit/batched-audit-log.ts";

/**
 * Error middleware for a component's router: a refused credential (UNAUTHORIZED,
 * SESSION_EXPIRED) is written to the audit log with the path, then passed on unchanged.
 */
export function auditAuthFailures(audit: AuditLog): express.ErrorRequestHandler {
  return (err, req, _res, next) => {
    if (err instanceof AppError && (err.code === "UNAUTHORIZED" || err.code === "SESSION_EXPIRED")) {
      void audit.record({ event: AuditEventName.AuthFailed, ip: req.ip ?? null, data: { path: req.path, code: err.code } });
    }
    next(err);
  };
}
