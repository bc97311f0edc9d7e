import express from "express";
import { z } from "zod";
import { AppError } from "@arena/shared";
import { flagSchema, gameResultSchema } from "@arena/shared/contracts/internal-api";
import { checkResultBounds } from "@arena/shared/rules/result-bounds";
import type { GameSettings } from "@arena/shared/rules/game-settings";
import type { AuditLog } from "../backend-context.ts";
import { registerRoute } from "../http/openapi.ts";
import { parseBody } from "../http/validate.ts";
import type { ScoreService } from "../scores/score-service.ts";
import { requireService } from "./service-auth.ts";

const gameResultResponse = z.object({
  success: z.literal(true),
  result_id: z.string(),
  user_id: z.string(),
  board: z.string(),
  new_score: z.number().int(),
  rank: z.number().int(),
  replay: z.boolean(),
});

/** The game server → backend service routes (bodies: shared/src/contracts/internal-api.ts). */
export function createInternalRouter(deps: {
  scores: ScoreService;
  servicePublicKey: string | undefined;
  now: () => number;
  /** The game rules every reported result must fit (the game server's settings). */
  rules: GameSettings;
  /** Time limits of the service credential. */
  tokenLimits: { clockSkewSeconds: number; maxLifetimeSeconds: number };
  addFlag(userId: number, reason: string, evidence: Record<string, unknown>, key: string): Promise<boolean>;
  audit: AuditLog;
}): express.Router {
  const router = express.Router();
  const auth = requireService(deps.servicePublicKey, deps.now, deps.tokenLimits);

  registerRoute({
    method: "post",
    path: "/internal/game-results",
    summary: "A validated game result from the game server (same score path as POST /api/scores). Replays answer replay:true.",
    tags: ["internal"],
    security: "service",
    body: gameResultSchema,
    responses: { 200: { description: "Recorded (or replayed).", schema: gameResultResponse }, 400: { description: "Final: bad body or user." }, 401: { description: "Bad service credential." }, 403: { description: "User banned." }, 503: { description: "Internal routes disabled." } },
  });
  router.post("/internal/game-results", auth, async (req, res) => {
    const body = parseBody(gameResultSchema, req);
    if (Date.parse(body.ended_at) < Date.parse(body.started_at)) throw new AppError("VALIDATION_FAILED", "ended_at is before started_at.");
    const bound = checkResultBounds({ mode: body.mode, score: body.score, points: body.points, startedAtMs: Date.parse(body.started_at), endedAtMs: Date.parse(body.ended_at) }, deps.rules);
    if (!bound.ok) throw new AppError("VALIDATION_FAILED", `The result breaks the mode's rules: ${bound.reason}.`);
    const result = await deps.scores.submitGameResult(body);
    res.json({ success: true, result_id: body.result_id, user_id: body.user_id, board: result.board, new_score: result.newScore, rank: result.rank, replay: result.replay });
  });

  registerRoute({
    method: "post",
    path: "/internal/flags",
    summary: "Flags an account for the manual review queue (idempotent on flag_id).",
    tags: ["internal"],
    security: "service",
    body: flagSchema,
    responses: { 200: { description: "Queued.", schema: z.object({ success: z.literal(true), flag_id: z.string() }) }, 400: { description: "Bad body or unknown user." } },
  });
  router.post("/internal/flags", auth, async (req, res) => {
    const body = parseBody(flagSchema, req);
    const ok = await deps.addFlag(Number(body.user_id), body.reason, body.evidence, body.flag_id);
    if (!ok) throw new AppError("VALIDATION_FAILED", "Unknown user.");
    res.json({ success: true, flag_id: body.flag_id });
  });

  return router;
}
