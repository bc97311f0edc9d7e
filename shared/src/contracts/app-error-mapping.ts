import { ZodError } from "zod";
import { AppError } from "../errors.ts";
import { DependencyUnavailableError } from "../resilience/circuit-breaker.ts";

/**
 * The one translation of anything thrown into an {@link AppError}, shared by the backend's and
 * the game server's HTTP error middlewares and the game server's room and matchmaking errors.
 * Framework-free: it looks at the shapes Express/body-parser, zod, ioredis, pg and Prisma
 * throw. A dependency outage becomes 503 SERVICE_UNAVAILABLE with `retry_after`; anything
 * unknown becomes 500 INTERNAL.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return new AppError("VALIDATION_FAILED", err.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  const outage = dependencyOutage(err);
  if (outage) return new AppError("SERVICE_UNAVAILABLE", ERRORS_503_MESSAGE, outage.retryAfter);
  const { type, status, statusCode } = (err ?? {}) as { type?: unknown; status?: unknown; statusCode?: unknown };
  switch (type) {
    case "entity.parse.failed":
      return new AppError("VALIDATION_FAILED", "The body is not valid JSON.");
    case "entity.too.large":
      return new AppError("PAYLOAD_TOO_LARGE");
  }
  if (err instanceof URIError) return new AppError("VALIDATION_FAILED", "The path is not valid (bad percent-encoding).");
  // Any other client error raised by Express or body-parser (unsupported charset or encoding,
  // aborted or mis-sized body…): the request was bad, the server is fine.
  const httpStatus = typeof status === "number" ? status : statusCode;
  if (typeof httpStatus === "number" && httpStatus >= 400 && httpStatus < 500) {
    if (httpStatus === 413) return new AppError("PAYLOAD_TOO_LARGE");
    if (httpStatus === 404) return new AppError("NOT_FOUND");
    if (typeof type === "string") return new AppError("VALIDATION_FAILED", "The request body could not be read.");
    return new AppError("VALIDATION_FAILED");
  }
  return new AppError("INTERNAL");
}

const ERRORS_503_MESSAGE = "A service this request needs is temporarily unavailable; retry later.";
/** Seconds a client is told to wait when the outage does not say more. */
const DEFAULT_RETRY_AFTER = 1;

/** SQLSTATEs and socket codes that mean "the database (or Redis) is not there right now". */
const OUTAGE_CODES = new Set([
  "57P01", // admin_shutdown: the server is stopping
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up / in recovery
  "53300", // too_many_connections
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "P1001", // Prisma: can't reach the database server
  "P1002", // Prisma: the server timed out
  "P1008", // Prisma: operation timed out
  "P1017", // Prisma: the server closed the connection
  "P2024", // Prisma: timed out fetching a connection from the pool
]);
/** Driver adapter error kinds that mean the same. */
const OUTAGE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const OUTAGE_NAMES = new Set(["MaxRetriesPerRequestError", "DependencyUnavailableError"]);
const OUTAGE_MESSAGE =
  /Connection is closed|Connection terminated|Command timed out|Stream isn't writeable|ECONNREFUSED|ECONNRESET|timeout exceeded when trying to connect|Query read timeout|the database system is (starting up|shutting down|in recovery|not yet accepting)|terminating connection due to administrator command|Reached the max retries per request|^(LOADING|READONLY|MASTERDOWN|MISCONF|TRYAGAIN) /i;

/**
 * Whether `err` (or what it wraps: `cause`, Prisma's `meta.driverAdapterError`) says a
 * dependency is down rather than that the request or the code is wrong; with its retry delay.
 */
export function dependencyOutage(err: unknown): { retryAfter: number } | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    if (e instanceof DependencyUnavailableError) return { retryAfter: e.retryAfter };
    const { code, originalCode, kind, name, message, cause, meta } = e as Record<string, unknown>;
    for (const c of [code, originalCode]) {
      if (typeof c === "string" && (OUTAGE_CODES.has(c) || /^08[0-9A-Z]{3}$/.test(c))) return { retryAfter: DEFAULT_RETRY_AFTER };
    }
    if (typeof kind === "string" && OUTAGE_KINDS.has(kind)) return { retryAfter: DEFAULT_RETRY_AFTER };
    if (typeof name === "string" && OUTAGE_NAMES.has(name)) return { retryAfter: DEFAULT_RETRY_AFTER };
    if (typeof message === "string" && OUTAGE_MESSAGE.test(message)) return { retryAfter: DEFAULT_RETRY_AFTER };
    queue.push(cause, (meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError);
  }
  return null;
}
