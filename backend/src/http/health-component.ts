import express from "express";
import { z } from "zod";
import { AppError } from "@arena/shared";
import type { BackendComponent, BackendContext } from "../backend-context.ts";
import { buildOpenApiDocument, registerRoute } from "./openapi.ts";

const healthSchema = z.object({ status: z.literal("ok") });
const readySchema = z.object({ status: z.literal("ready"), database: z.enum(["postgres", "pglite"]) });

/** GET /healthz (process up), GET /readyz (database answers), GET /openapi.json. */
export function createHealthComponent(ctx: BackendContext): BackendComponent {
  const router = express.Router();

  registerRoute({ method: "get", path: "/healthz", summary: "Liveness: the process answers.", tags: ["ops"], responses: { 200: { description: "Up.", schema: healthSchema } } });
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  registerRoute({
    method: "get",
    path: "/readyz",
    summary: "Readiness: the database answers a query.",
    tags: ["ops"],
    responses: { 200: { description: "Ready.", schema: readySchema }, 503: { description: "Database unreachable." } },
  });
  router.get("/readyz", async (_req, res) => {
    if (!(await ctx.db.ping())) throw new AppError("SERVICE_UNAVAILABLE", "The database is not reachable.");
    res.json({ status: "ready", database: ctx.db.kind });
  });

  registerRoute({ method: "get", path: "/openapi.json", summary: "This OpenAPI document.", tags: ["ops"], responses: { 200: { description: "OpenAPI 3.1." } } });
  router.get("/openapi.json", (_req, res) => {
    res.json(buildOpenApiDocument({ title: "Arena backend", version: "0.1.0" }));
  });

  return { name: "health", router };
}
