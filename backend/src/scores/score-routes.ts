import express from "express";
import { z } from "zod";
import type { IdentityClaims } from "@arena/shared";
import { registerRoute } from "../http/openapi.ts";
import { parseBody } from "../http/validate.ts";
import type { AuthMiddlewares } from "../http/auth-middleware.ts";
import { CLIENT_ACTION_TYPES } from "./action-types.ts";
import type { ScoreService } from "./score-service.ts";

/** The request body (docs/api-scores.md). `action_type` and `points` are checked by the service (INVALID_ACTION). */
export const scoreRequestSchema = z.object({
  action_id: z.uuid(),
  action_type: z.string().max(50).describe(`One of: ${CLIENT_ACTION_TYPES.join(", ")}`),
  points: z.number().describe("Integer within the action type's bounds (≤ MAX_POINTS_PER_ACTION)"),
});

export const scoreResponseSchema = z.object({
  success: z.literal(true),
  user_id: z.string(),
  new_score: z.number().int(),
  rank: z.number().int(),
});

/** `POST /api/scores` (docs/api-scores.md). */
export function createScoreRouter(deps: { scores: ScoreService; auth: AuthMiddlewares }): express.Router {
  const router = express.Router();
  registerRoute({
    method: "post",
    path: "/api/scores",
    summary: "Adds points for a completed action; a replayed action_id answers the original result without adding again.",
    tags: ["scores"],
    security: "identity",
    body: scoreRequestSchema,
    responses: {
      200: { description: "Score updated (or replayed).", schema: scoreResponseSchema },
      400: { description: "INVALID_ACTION (unknown / server-only type, points out of bounds) or VALIDATION_FAILED." },
      401: { description: "UNAUTHORIZED / SESSION_EXPIRED." },
      429: { description: "RATE_LIMIT_EXCEEDED or TEMPORARILY_BANNED, with retry_after." },
    },
  });
  router.post("/api/scores", deps.auth.requireIdentity, async (req, res) => {
    const identity = res.locals.identity as IdentityClaims;
    await deps.scores.admit(identity);
    const body = parseBody(scoreRequestSchema, req);
    const result = await deps.scores.submitClientAction(identity, body);
    res.json({ success: true, user_id: identity.sub, new_score: result.newScore, rank: result.rank });
  });
  return router;
}
