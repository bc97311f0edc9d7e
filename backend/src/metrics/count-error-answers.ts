import type express from "express";
import { AppError } from "@arena/shared";
import type { ScoreboardMetrics } from "./scoreboard-metrics.ts";

/**
 * Error middleware for the score and scoreboard routes: counts each coded error answer in
 * `scoreboard_http_responses_total` (route "scores" under /api/scores, else "other"), then passes it on.
 */
export function countErrorAnswers(metrics: ScoreboardMetrics): express.ErrorRequestHandler {
  return (err, req, _res, next) => {
    if (err instanceof AppError) metrics.httpResponses.inc({ route: req.path.startsWith("/api/scores") ? "scores" : "other", status: String(err.status) });
    next(err);
  };
}
