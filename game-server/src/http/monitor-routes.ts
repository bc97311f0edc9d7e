import { matchMaker } from "@colyseus/core";
import { monitor } from "@colyseus/monitor";
import { AppError } from "@arena/shared";
import { Router } from "express";
import basicAuth from "express-basic-auth";
import type { Logger } from "pino";
import { z } from "zod";
import type { RoomDirectory } from "../tickets/room-directory.ts";

/** Where the monitor is mounted. */
export const MONITOR_PATH = "/colyseus";

const messageType = z.union([z.string().min(1).max(64), z.number().int()]);
/**
 * What the monitor may call on a room (`GET /colyseus/api/room/call?roomId&method&args`): the
 * operations its page offers, each with its arguments. Colyseus's own handler calls any method
 * with any arguments, and answers 500 when one throws.
 */
const OPERATIONS = {
  /** Ends one client's connection (it leaves; its seat and presence are released). */
  _forceClientDisconnect: z.tuple([z.string().min(1).max(64)]),
  /** Sends one client a message. */
  _sendMessageToClient: z.tuple([z.string().min(1).max(64), messageType, z.unknown()]),
  /** Sends every client of the room a message. */
  broadcast: z.tuple([messageType]).rest(z.unknown()),
  /** Disposes the room (every client is disconnected). */
  disconnect: z.tuple([]).rest(z.unknown()),
} as const;
/** Monitor operations that would rewrite the synced state behind the room's back: refused. */
const STATE_EDITS = new Set(["_editStateProperty", "_deleteStateProperty"]);

const callQuery = z.object({ roomId: z.string().min(1).max(64), method: z.string().min(1).max(64), args: z.string().max(16 * 1024).default("[]") });

/**
 * The Colyseus monitor, behind basic auth with ADMIN_USER / ADMIN_PASSWORD. There is no default
 * credential: without ADMIN_PASSWORD the monitor is not mounted at all (its path answers 404).
 */
export function monitorRoutes(deps: { user: string; password: string | undefined; rooms: RoomDirectory; log: Logger }): Router | undefined {
  if (!deps.password) return undefined;
  const router = Router();
  const auth = basicAuth({ users: { [deps.user]: deps.password }, challenge: true, unauthorizedResponse: () => new AppError("UNAUTHORIZED").toBody() });
  router.get(`${MONITOR_PATH}/api/room/call`, auth, async (req, res) => {
    const query = callQuery.safeParse(req.query);
    if (!query.success) throw new AppError("VALIDATION_FAILED", "roomId, method and args are required.");
    const { roomId, method } = query.data;
    if (STATE_EDITS.has(method)) throw new AppError("FORBIDDEN", "The room state is server-authoritative: the monitor cannot edit it.");
    if (!Object.hasOwn(OPERATIONS, method)) throw new AppError("VALIDATION_FAILED", `Not a monitor operation: ${method}.`);
    const args = OPERATIONS[method as keyof typeof OPERATIONS].safeParse(parseJson(query.data.args));
    if (!args.success) throw new AppError("VALIDATION_FAILED", `Bad arguments for ${method}.`);
    if (!(await deps.rooms.find(roomId))) throw new AppError("ROOM_NOT_FOUND");
    let answer: unknown;
    try {
      answer = await matchMaker.remoteRoomCall(roomId, method, args.data);
    } catch (err) {
      deps.log.warn({ roomId, method, err: (err as Error).message }, "monitor room call failed");
      throw new AppError("SERVICE_UNAVAILABLE", "The room did not answer.");
    }
    res.json(answer ?? {});
  });
  router.use(MONITOR_PATH, auth, monitor());
  return router;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
