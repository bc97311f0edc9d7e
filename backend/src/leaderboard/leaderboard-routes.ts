import express from "express";
import { z } from "zod";
import { AppError, BOARDS, Board, Period, PERIODS, type IdentityClaims } from "@arena/shared";
import { registerRoute } from "../http/openapi.ts";
import type { AuthMiddlewares } from "../http/auth-middleware.ts";
import type { LeaderboardService } from "./leaderboard-service.ts";

export const boardQuerySchema = z.object({
  board: z.enum(BOARDS).default(Board.General),
  period: z.enum(PERIODS).default(Period.AllTime),
});

const entrySchema = z.object({ rank: z.number().int(), user_id: z.string(), username: z.string(), score: z.number().int(), last_updated: z.string() });
const snapshotSchema = z.object({ leaderboard: z.array(entrySchema), last_updated: z.string(), total_players: z.number().int() });

/** Board and period from the query; UNKNOWN_BOARD when either is not one of ours. */
function parseBoard(query: unknown): z.output<typeof boardQuerySchema> {
  const parsed = boardQuerySchema.safeParse(query);
  if (!parsed.success) throw new AppError("UNKNOWN_BOARD", `board must be one of ${BOARDS.join(", ")}; period one of ${PERIODS.join(", ")}.`);
  return parsed.data;
}

/** `GET /api/scoreboard` and `GET /api/scoreboard/me`. */
export function createLeaderboardRouter(deps: { leaderboards: LeaderboardService; auth: AuthMiddlewares }): express.Router {
  const router = express.Router();
  registerRoute({
    method: "get",
    path: "/api/scoreboard",
    summary: "Top 10 of a board (general, classic, shaky, steps) and period (all, daily, weekly). Ties: first to reach the score ranks higher.",
    tags: ["scoreboard"],
    query: boardQuerySchema,
    responses: { 200: { description: "The leaderboard snapshot.", schema: snapshotSchema }, 400: { description: "Unknown board or period." } },
  });
  router.get("/api/scoreboard", async (req, res) => {
    const q = parseBoard(req.query);
    res.json(await deps.leaderboards.snapshot(q.board, q.period));
  });

  registerRoute({
    method: "get",
    path: "/api/scoreboard/me",
    summary: "The caller's rank, score and two neighbours each side on a board and period.",
    tags: ["scoreboard"],
    security: "identity",
    query: boardQuerySchema,
    responses: {
      200: {
        description: "rank/score are null when the caller has no score there yet.",
        schema: z.object({ board: z.string(), period: z.string(), user_id: z.string(), rank: z.number().int().nullable(), score: z.number().int().nullable(), neighbours: z.array(entrySchema), total_players: z.number().int() }),
      },
    },
  });
  router.get("/api/scoreboard/me", deps.auth.requireIdentity, async (req, res) => {
    const q = parseBoard(req.query);
    const identity = res.locals.identity as IdentityClaims;
    const me = await deps.leaderboards.around(q.board, q.period, Number(identity.sub));
    res.json({ board: q.board, period: q.period, user_id: identity.sub, ...me });
  });
  return router;
}
