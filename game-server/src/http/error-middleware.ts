import { AppError } from "@arena/shared";
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";

/** Maps AppError → its status and `{success:false, error_code, message, retry_after?}`; 5xx say nothing internal. */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const appError = toAppError(err);
    if (appError.status >= 500) log.error({ err }, "request failed");
    if (appError.retryAfter !== undefined) res.setHeader("Retry-After", String(appError.retryAfter));
    res.status(appError.status).json(appError.toBody());
  };
}

/** 404 in the same error shape. */
export const notFound: RequestHandler = (_req, _res, next) => next(new AppError("NOT_FOUND"));

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const type = (err as { type?: string } | null)?.type;
  if (type === "entity.too.large") return new AppError("PAYLOAD_TOO_LARGE");
  if (type === "entity.parse.failed") return new AppError("VALIDATION_FAILED", "The body is not valid JSON.");
  if (isRedisFailure(err)) return new AppError("SERVICE_UNAVAILABLE");
  return new AppError("INTERNAL");
}

/** ioredis gave up (connection lost, retries exhausted, server error): a dependency, not a bug. */
function isRedisFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return ["MaxRetriesPerRequestError", "ReplyError"].includes(err.name) || /Connection is closed|ECONNREFUSED|ECONNRESET/.test(err.message);
}
