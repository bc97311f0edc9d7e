import type { ErrorRequestHandler, RequestHandler } from "express";
import type pino from "pino";
import { AppError } from "@arena/shared";
import { toAppError } from "@arena/shared/contracts/app-error-mapping";

/**
 * What a refusal's details add to its body: a list (validation issues) as `details`; an object's
 * numeric fields (e.g. INSUFFICIENT_POINTS `balance` and `price`) at the top level.
 */
function clientDetails(details: unknown): Record<string, unknown> {
  if (Array.isArray(details)) return { details };
  if (typeof details !== "object" || details === null) return {};
  return Object.fromEntries(Object.entries(details).filter(([key, value]) => typeof value === "number" && !["success", "error_code", "message", "retry_after"].includes(key)));
}

/** Final 404 for unmatched routes. */
export const notFoundMiddleware: RequestHandler = (_req, _res, next) => next(new AppError("NOT_FOUND"));

/**
 * Maps errors to `{success:false, error_code, message, retry_after?, details?}` with the
 * status from the shared table and `Retry-After` when applicable. 5xx answers say nothing
 * internal; the real error goes to the log with the request id.
 */
export function errorMiddleware(log: pino.Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const appError = toAppError(err);
    const logger = (req as { log?: pino.Logger }).log ?? log;
    if (appError.code === "SERVICE_UNAVAILABLE") logger.warn({ cause: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }, "request refused: a dependency is unavailable");
    else if (appError.status >= 500) logger.error({ err }, "request failed");
    else logger.debug({ code: appError.code }, "request refused");
    if (res.headersSent) return next(err);
    const body: Record<string, unknown> = { ...appError.toBody() };
    if (appError.status < 500 && appError.details !== undefined) Object.assign(body, clientDetails(appError.details));
    if (appError.retryAfter !== undefined) res.setHeader("Retry-After", String(appError.retryAfter));
    res.status(appError.status).json(body);
  };
}
