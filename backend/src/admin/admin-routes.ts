import express from "express";
import { z } from "zod";
import { AppError, type IdentityClaims } from "@arena/shared";
import { registerRoute } from "../http/openapi.ts";
import { parseQuery } from "../http/validate.ts";
import type { AuthMiddlewares } from "../http/auth-middleware.ts";
import type { AdminService } from "./admin-service.ts";

const listQuery = z.object({
  status: z.enum(["open", "cleared", "banned"]).default("open"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().regex(/^\d{1,18}$/).optional(),
});
/** flags.id is a bigint (18 digits always fit). */
const idParam = z.string().regex(/^[1-9]\d{0,17}$/);
/** users.id is a PostgreSQL integer. */
const userIdParam = idParam.refine((v) => Number(v) <= 2_147_483_647);

const flagSchema = z.object({
  id: z.string(), user_id: z.string(), username: z.string(), user_status: z.string(), reason: z.string(), evidence: z.unknown(),
  status: z.string(), created_at: z.string(), resolved_at: z.string().nullable(), resolved_by: z.string().nullable(),
});

function id(raw: unknown, schema: z.ZodType<string> = idParam): string {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError("VALIDATION_FAILED", schema === idParam ? "The id must be a positive integer." : "The user id must be an integer from 1 to 2147483647.");
  return parsed.data;
}

/** The review queue for admins: list flagged accounts with their evidence, clear or ban. */
export function createAdminRouter(deps: { admin: AdminService; auth: AuthMiddlewares }): express.Router {
  const router = express.Router();
  const actor = (res: express.Response) => Number((res.locals.identity as IdentityClaims).sub);

  registerRoute({ method: "get", path: "/api/admin/flags", summary: "Flagged accounts with evidence (newest first; page with ?before=<id>).", tags: ["admin"], security: "identity", query: listQuery, responses: { 200: { description: "Flags.", schema: z.object({ flags: z.array(flagSchema) }) }, 403: { description: "Not an admin." } } });
  router.get("/api/admin/flags", deps.auth.requireAdmin, async (req, res) => {
    const q = parseQuery(listQuery, req);
    res.json({ flags: await deps.admin.list(q.status, q.limit, q.before) });
  });

  registerRoute({ method: "post", path: "/api/admin/flags/:id/clear", summary: "Clears an open flag (no action against the account).", tags: ["admin"], security: "identity", responses: { 200: { description: "Cleared.", schema: z.object({ success: z.literal(true), flag: flagSchema }) }, 404: { description: "No open flag with that id." } } });
  router.post("/api/admin/flags/:id/clear", deps.auth.requireAdmin, async (req, res) => {
    res.json({ success: true, flag: await deps.admin.clear(id(req.params.id), actor(res)) });
  });

  registerRoute({ method: "post", path: "/api/admin/flags/:id/ban", summary: "Bans the flagged account: status banned, every session revoked, scores removed from the boards.", tags: ["admin"], security: "identity", responses: { 200: { description: "Banned.", schema: z.object({ success: z.literal(true), user_id: z.string(), sessions_revoked: z.number().int() }) }, 404: { description: "No such flag." } } });
  router.post("/api/admin/flags/:id/ban", deps.auth.requireAdmin, async (req, res) => {
    const flag = await deps.admin.flag(id(req.params.id));
    res.json({ success: true, ...(await deps.admin.ban(Number(flag.user_id), actor(res), `flag ${flag.id}`)) });
  });

  registerRoute({ method: "post", path: "/api/admin/users/:id/ban", summary: "Bans an account directly (same effects as banning from a flag).", tags: ["admin"], security: "identity", responses: { 200: { description: "Banned." }, 404: { description: "No such user." } } });
  router.post("/api/admin/users/:id/ban", deps.auth.requireAdmin, async (req, res) => {
    res.json({ success: true, ...(await deps.admin.ban(Number(id(req.params.id, userIdParam)), actor(res), "direct")) });
  });
  return router;
}
