import express from "express";
import { z } from "zod";
import { AppError, type IdentityClaims } from "@arena/shared";
import { chatBatchResponseSchema, chatBatchSchema, InternalRoute } from "@arena/shared/contracts/internal-api";
import type { AuthMiddlewares } from "../http/auth-middleware.ts";
import { registerRoute } from "../http/openapi.ts";
import { SERVICE_REFUSALS } from "../internal/service-auth.ts";
import { pageQuerySchema } from "../http/page-cursor.ts";
import { parseBody, parseQuery } from "../http/validate.ts";
import type { ChatService } from "./chat-service.ts";

const logQuery = pageQuerySchema(50, 200);
/** Room codes are shown upper case; the admin may type them in any case. */
const roomCodeParam = z.string().trim().regex(/^[A-Za-z0-9]{1,16}$/).transform((code) => code.toUpperCase());

const chatLineSchema = z.object({
  message_id: z.string(),
  room_code: z.string(),
  sender_user_id: z.string().nullable(),
  sender_nick: z.string(),
  guest: z.boolean(),
  text: z.string(),
  sent_at: z.string(),
  stored_at: z.string(),
});

/** `POST /internal/chat-messages` (game server) and `GET /api/admin/rooms/:code/chat` (admins). */
export function createChatRouter(deps: { chat: ChatService; auth: AuthMiddlewares; requireService: express.RequestHandler }): express.Router {
  const router = express.Router();

  registerRoute({
    method: "post",
    path: InternalRoute.ChatMessages,
    summary: "A batch of room chat lines for the audit trail, each stored once per message_id.",
    tags: ["internal"],
    security: "service",
    body: chatBatchSchema,
    responses: {
      200: { description: "Stored; lines already present count as replayed.", schema: chatBatchResponseSchema },
      400: { description: "Final: VALIDATION_FAILED (bad body, guest flag and sender_user_id disagree)." },
      ...SERVICE_REFUSALS,
    },
  });
  router.post(InternalRoute.ChatMessages, deps.requireService, async (req, res) => {
    res.json(await deps.chat.store(parseBody(chatBatchSchema, req).messages));
  });

  registerRoute({
    method: "get",
    path: "/api/admin/rooms/:code/chat",
    summary: "A room's chat audit trail, newest first (page with ?before=<next_before>); the read is written to the audit log.",
    tags: ["admin"],
    security: "identity",
    query: logQuery,
    responses: {
      200: { description: "Chat lines kept for CHAT_RETENTION (a code reused by a later room lists both rooms' lines).", schema: z.object({ room_code: z.string(), messages: z.array(chatLineSchema), next_before: z.string().nullable() }) },
      400: { description: "VALIDATION_FAILED (code, limit or cursor)." },
      403: { description: "Not an admin." },
    },
  });
  router.get("/api/admin/rooms/:code/chat", deps.auth.requireAdmin, async (req, res) => {
    const code = roomCodeParam.safeParse(req.params.code);
    if (!code.success) throw new AppError("VALIDATION_FAILED", "The room code is 1–16 letters or digits.");
    const q = parseQuery(logQuery, req);
    const page = await deps.chat.readRoom(code.data, q.limit, q.before, Number((res.locals.identity as IdentityClaims).sub));
    res.setHeader("Cache-Control", "no-store");
    res.json({ room_code: code.data, messages: page.items, next_before: page.next_before });
  });

  return router;
}
