import { ServerError } from "@colyseus/core";
import { RoomErrorCode } from "@arena/shared";
import { toAppError } from "@arena/shared/contracts/app-error-mapping";
import type { Logger } from "pino";

/** A ServerError carrying the numeric {@link RoomErrorCode} of `code`. */
export function roomError(code: keyof typeof RoomErrorCode, message?: string): ServerError {
  return new ServerError(RoomErrorCode[code], message ?? code);
}

/** Maps anything thrown while admitting a client to a ServerError the client can tell apart. */
export function toServerError(err: unknown, log: Logger): ServerError {
  if (err instanceof ServerError) return err;
  const appError = toAppError(err);
  if (appError.code === "SERVICE_UNAVAILABLE") {
    log.warn({ err: appError === err ? undefined : String(err) }, "room admission: a dependency is unavailable");
    return roomError("SERVICE_UNAVAILABLE", appError.message);
  }
  if (appError.code in RoomErrorCode) return roomError(appError.code as keyof typeof RoomErrorCode, appError.message);
  if (appError === err) return roomError("TICKET_INVALID", appError.message);
  log.error({ err }, "room admission failed");
  return roomError("SERVICE_UNAVAILABLE", "The service is temporarily unavailable.");
}
