import { AppError } from "@arena/shared";
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import { ZodError } from "zod";

/**
 * Maps AppError → its status and `{success:false, error_code, message, retry_after?}`; 5xx say
 * nothing internal. `refused` counts each answer by code (metrics).
 */
export function errorMiddleware(log: Logger, refused: (code: string) => void = () => {}): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const appError = toAppError(err);
    refused(appError.code);
    if (appError.status >= 500) log.error({ err }, "request failed");
    if (appError.retryAfter !== undefined) res.setHeader("Retry-After", String(appError.retryAfter));
    res.status(appError.status).json(appError.toBody());
  };
}

/** 404 in the same error shape. */
export const notFound: RequestHandler = (_req, _res, next) => next(new AppError("NOT_FOUND"));

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return new AppError("VALIDATION_FAILED", err.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  const { type, status } = (err ?? {}) as { type?: string; status?: unknown };
  if (type === "entity.too.large") return new AppError("PAYLOAD_TOO_LARGE");
  if (type === "entity.parse.failed") return new AppError("VALIDATION_FAILED", "The body is not valid JSON.");
  if (err instanceof URIError) return new AppError("VALIDATION_FAILED", "The path is not valid (bad percent-encoding).");
  // Any other client error raised by Express or body-parser (unsupported charset or encoding,
  // aborted or mis-sized body…): the request was bad, the server is fine.
  if (typeof status === "number" && status >= 400 && status < 500) return new AppError("VALIDATION_FAILED");
  if (isRedisFailure(err)) return new AppError("SERVICE_UNAVAILABLE");
  return new AppError("INTERNAL");
}

/** ioredis gave up (connection lost, retries exhausted, server error): a dependency, not a bug. */
function isRedisFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return ["MaxRetriesPerRequestError", "ReplyError"].includes(err.name) || /Connection is closed|ECONNREFUSED|ECONNRESET/.test(err.message);
}
