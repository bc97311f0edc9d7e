import { ServerError } from "@colyseus/core";
import { AppError, RoomErrorCode } from "@arena/shared";
import type { Logger } from "pino";

/** A ServerError carrying the numeric {@link RoomErrorCode} of `code`. */
export function roomError(code: keyof typeof RoomErrorCode, message?: string): ServerError {
  return new ServerError(RoomErrorCode[code], message ?? code);
}

/** Maps anything thrown while admitting a client to a ServerError the client can tell apart. */
export function toServerError(err: unknown, log: Logger): ServerError {
  if (err instanceof ServerError) return err;
  if (err instanceof AppError && err.code in RoomErrorCode) {
    return roomError(err.code as keyof typeof RoomErrorCode, err.message);
  }
  if (err instanceof AppError) return roomError("TICKET_INVALID", err.message);
  log.error({ err }, "room admission failed");
  return roomError("SERVICE_UNAVAILABLE", "The service is temporarily unavailable.");
}
