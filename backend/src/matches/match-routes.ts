import express from "express";
import { z } from "zod";
import type { IdentityClaims } from "@arena/shared";
import { InternalRoute, matchRecordResponseSchema, matchRecordSchema } from "@arena/shared/contracts/internal-api";
import type { AuthMiddlewares } from "../http/auth-middleware.ts";
import { registerRoute } from "../http/openapi.ts";
import { SERVICE_REFUSALS } from "../internal/service-auth.ts";
import { pageQuerySchema } from "../http/page-cursor.ts";
import { parseBody, parseQuery } from "../http/validate.ts";
import type { MatchService } from "./match-service.ts";

const historyQuery = pageQuerySchema(20, 50);

const myMatchSchema = z.object({
  match_id: z.string(),
  room_code: z.string(),
  mode: z.string(),
  round: z.number().int(),
  solo: z.boolean(),
  outcome: z.string(),
  started_at: z.string(),
  ended_at: z.string(),
  me: z.object({ score: z.number().int(), placement: z.number().int(), flagged: z.boolean(), finished: z.boolean(), result_saved: z.boolean(), points_earned: z.number().int() }),
  players: z.array(z.object({ nick: z.string(), guest: z.boolean(), score: z.number().int(), placement: z.number().int(), finished: z.boolean(), you: z.boolean() })),
});

/** `POST /internal/match-records` (game server) and `GET /api/me/matches` (players). */
export function createMatchRouter(deps: { matches: MatchService; auth: AuthMiddlewares; requireService: express.RequestHandler }): express.Router {
  const router = express.Router();

  registerRoute({
    method: "post",
    path: InternalRoute.MatchRecords,
    summary: "One finished round of a room from the game server, stored once per match_id (a replay answers replay:true and writes nothing).",
    tags: ["internal"],
    security: "service",
    body: matchRecordSchema,
    responses: {
      200: { description: "Stored (or replayed); points_earned has a key per account player.", schema: matchRecordResponseSchema },
      400: { description: "Final: VALIDATION_FAILED (bad body, ended_at before started_at, guest/user_id mismatch, a user twice, unknown user)." },
      ...SERVICE_REFUSALS,
    },
  });
  router.post(InternalRoute.MatchRecords, deps.requireService, async (req, res) => {
    res.json(await deps.matches.record(parseBody(matchRecordSchema, req)));
  });

  registerRoute({
    method: "get",
    path: "/api/me/matches",
    summary: "The caller's recent matches, newest first (page with ?before=<next_before>).",
    tags: ["matches"],
    security: "identity",
    query: historyQuery,
    responses: {
      200: { description: "Matches the caller played, with every player's nick, score and placement.", schema: z.object({ matches: z.array(myMatchSchema), next_before: z.string().nullable() }) },
      400: { description: "VALIDATION_FAILED (limit out of 1–50, or a cursor this API did not hand out)." },
      401: { description: "UNAUTHORIZED / SESSION_EXPIRED." },
    },
  });
  router.get("/api/me/matches", deps.auth.requireIdentity, async (req, res) => {
    const q = parseQuery(historyQuery, req);
    const page = await deps.matches.history(Number((res.locals.identity as IdentityClaims).sub), q.limit, q.before);
    res.setHeader("Cache-Control", "no-store");
    res.json({ matches: page.items, next_before: page.next_before });
  });

  return router;
}
