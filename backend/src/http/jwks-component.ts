import express from "express";
import { z } from "zod";
import type { BackendComponent, BackendContext } from "../backend-context.ts";
import { registerRoute } from "./openapi.ts";

const jwksSchema = z.object({
  keys: z.array(z.object({ kty: z.literal("EC"), crv: z.literal("P-256"), x: z.string(), y: z.string(), kid: z.string(), alg: z.literal("ES256"), use: z.literal("sig") })),
});

/** GET /.well-known/jwks.json: every public key that verifies identity tokens, by kid. */
export function createJwksComponent(ctx: BackendContext): BackendComponent {
  const router = express.Router();
  registerRoute({
    method: "get",
    path: "/.well-known/jwks.json",
    summary: "Public keys (by kid) that verify identity JWTs: the current one and older ones during rotation.",
    tags: ["auth"],
    responses: { 200: { description: "JWK Set.", schema: jwksSchema } },
  });
  router.get("/.well-known/jwks.json", (_req, res) => {
    res.setHeader("Cache-Control", "public, max-age=60");
    res.json(ctx.keys.jwks());
  });
  return { name: "jwks", router };
}
