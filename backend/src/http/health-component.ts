import express from "express";
import { z } from "zod";
import { AppError } from "@arena/shared";
import { checkDependencies, type DependencyCheck } from "@arena/shared/resilience/readiness";
import type { BackendComponent, BackendContext } from "../backend-context.ts";
import { buildOpenApiDocument, registerRoute } from "./openapi.ts";

const healthSchema = z.object({ status: z.literal("ok") });
const dependencySchema = z.object({ status: z.enum(["up", "down"]), breaker: z.enum(["closed", "open", "half-open"]) });
const readySchema = z.object({
  status: z.literal("ready"),
  database: z.enum(["postgres", "pglite"]),
  dependencies: z.record(z.string(), dependencySchema),
});
const unreadySchema = z.object({
  success: z.literal(false),
  error_code: z.literal("SERVICE_UNAVAILABLE"),
  message: z.string(),
  retry_after: z.number(),
  dependencies: z.record(z.string(), dependencySchema),
});

/** GET /healthz (process up), GET /readyz (every dependency answers), GET /openapi.json. */
export function createHealthComponent(ctx: BackendContext): BackendComponent {
  const router = express.Router();

  registerRoute({ method: "get", path: "/healthz", summary: "Liveness: the process answers.", tags: ["ops"], responses: { 200: { description: "Up.", schema: healthSchema } } });
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  registerRoute({
    method: "get",
    path: "/readyz",
    summary: "Readiness: each dependency (db, and redis when configured) answers, with its circuit breaker's state.",
    tags: ["ops"],
    responses: { 200: { description: "Ready.", schema: readySchema }, 503: { description: "A dependency is down.", schema: unreadySchema } },
  });
  const checks: DependencyCheck[] = [{ name: "db", ping: () => ctx.db.ping(), breaker: ctx.breakers?.db }];
  const redis = ctx.redis;
  if (redis) checks.push({ name: "redis", ping: () => redis.ping(), breaker: ctx.breakers?.redis });
  const timeoutMs = Math.max(ctx.config.REDIS_COMMAND_TIMEOUT, ctx.config.DB_CONNECT_TIMEOUT);
  router.get("/readyz", async (_req, res) => {
    const { ready, dependencies } = await checkDependencies(checks, timeoutMs);
    if (!ready) {
      const down = Object.keys(dependencies).filter((name) => dependencies[name].status === "down");
      const error = new AppError("SERVICE_UNAVAILABLE", `Not reachable: ${down.join(", ")}.`, 1);
      res.setHeader("Retry-After", "1");
      res.status(503).json({ ...error.toBody(), dependencies });
      return;
    }
    res.json({ status: "ready", database: ctx.db.kind, dependencies });
  });

  registerRoute({ method: "get", path: "/openapi.json", summary: "This OpenAPI document.", tags: ["ops"], responses: { 200: { description: "OpenAPI 3.1." } } });
  router.get("/openapi.json", (_req, res) => {
    res.json(buildOpenApiDocument({ title: "Arena backend", version: "0.1.0" }));
  });

  return { name: "health", router };
}
