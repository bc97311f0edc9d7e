import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import type pino from "pino";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The request id of a request: the caller's `X-Request-Id` when it is sane, else a new UUID. */
export function requestIdOf(incoming: string | string[] | undefined): string {
  return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Conservative headers for a JSON API, sent on every answer. */
export const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
} as const;

export interface RequestLoggerOptions {
  /** A request taking at least this long is logged at info whatever its status, ms (config SLOW_REQUEST_MS; default 1000). */
  slowMs?: number;
}

/**
 * A request id per request — the caller's `X-Request-Id` when it is sane, else a new UUID —
 * echoed in the `X-Request-Id` response header and set as `req.id`; `req.log` is a child logger
 * carrying it, made only when something logs through it. One line per finished request, at:
 * error for 5xx (warn for 503: a dependency is down, not a bug), info for 4xx and for slow
 * requests, debug otherwise. A line whose level is off costs nothing beyond the level check, so
 * the hot routes pay no per-request logger at the default level.
 */
export function requestLogger(log: pino.Logger, options: RequestLoggerOptions = {}): RequestHandler {
  const slowMs = options.slowMs ?? 1000;
  return (req, res, next) => {
    const id = requestIdOf(req.headers["x-request-id"]);
    res.setHeader("X-Request-Id", id);
    const started = performance.now();
    let child: pino.Logger | undefined;
    const request = req as typeof req & { id: string; log: pino.Logger };
    request.id = id;
    Object.defineProperty(request, "log", { configurable: true, enumerable: false, get: () => (child ??= log.child({ reqId: id })) });
    // "close" follows every response: after "finish", or alone when the client went away first.
    res.once("close", () => {
      const aborted = !res.writableFinished;
      const responseTime = Math.round(performance.now() - started);
      const status = res.statusCode;
      const level: pino.Level =
        status === 503 ? "warn" : aborted || status >= 500 ? "error" : status >= 400 || responseTime >= slowMs ? "info" : "debug";
      if (!log.isLevelEnabled(level)) return;
      request.log[level](
        { req: { id, method: req.method, url: req.originalUrl }, res: { statusCode: status }, responseTime },
        aborted ? "request aborted" : "request completed",
      );
    });
    next();
  };
}

/** {@link SECURITY_HEADERS} on every answer. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  next();
};

/**
 * CORS for the configured browser origins only (credentials allowed, so the refresh
 * cookie travels). Other origins get no CORS headers and the browser blocks the read.
 */
export function corsMiddleware(origins: string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      res.setHeader("Access-Control-Allow-Origin", origin);
      res.setHeader("Access-Control-Allow-Credentials", "true");
      res.setHeader("Vary", "Origin");
      if (req.method === "OPTIONS") {
        res.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
        res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id");
        res.setHeader("Access-Control-Max-Age", "600");
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
