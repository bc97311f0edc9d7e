import express from "express";
import { registerRoute } from "../http/openapi.ts";
import type { ScoreboardMetrics } from "./scoreboard-metrics.ts";

/** `GET /metrics` in the Prometheus text format. */
export function createMetricsRouter(metrics: ScoreboardMetrics): express.Router {
  const router = express.Router();
  registerRoute({ method: "get", path: "/metrics", summary: "Prometheus metrics (score update rate, errors, WebSockets, cache hits, DB time, flags).", tags: ["operations"], responses: { 200: { description: "text/plain; version=0.0.4" } } });
  router.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
