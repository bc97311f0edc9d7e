import { AppError } from "@arena/shared";
import { toAppError } from "@arena/shared/contracts/app-error-mapping";
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";

/**
 * Maps AppError → its status and `{success:false, error_code, message, retry_after?}`; 5xx say
 * nothing internal. `refused` counts each answer by code (metrics).
 */
export function errorMiddleware(log: Logger, refused: (code: string) => void = () => {}): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const appError = toAppError(err);
    refused(appError.code);
    if (appError.code === "SERVICE_UNAVAILABLE") log.warn({ cause: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }, "request refused: a dependency is unavailable");
    else if (appError.status >= 500) log.error({ err }, "request failed");
    if (appError.retryAfter !== undefined) res.setHeader("Retry-After", String(appError.retryAfter));
    res.status(appError.status).json(appError.toBody());
  };
}

/** 404 in the same error shape. */
export const notFound: RequestHandler = (_req, _res, next) => next(new AppError("NOT_FOUND"));
