import express from "express";
import { z } from "zod";
import { AppError, normalizeName, type IdentityClaims } from "@arena/shared";
import { signIdentityToken } from "@arena/shared/tokens/identity-token";
import type { BackendConfig } from "../config.ts";
import type { AuthMiddlewares } from "../http/auth-middleware.ts";
import { registerRoute } from "../http/openapi.ts";
import { parseBody } from "../http/validate.ts";
import type { IdentityKeyStore } from "../keys/identity-key-store.ts";
import {
  adjustBody,
  adjustResponse,
  equipResponse,
  profileResponse,
  publicProfileResponse,
  skinsResponse,
  unlockResponse,
} from "./progression-schemas.ts";
import type { ProgressionService } from "./progression-service.ts";

/** users.id is a PostgreSQL integer. */
const userIdParam = z.string().regex(/^[1-9]\d{0,9}$/).refine((v) => Number(v) <= 2_147_483_647);

export interface ProgressionRouterDeps {
  progression: ProgressionService;
  auth: AuthMiddlewares;
  keys: IdentityKeyStore;
  config: Pick<BackendConfig, "JWT_ISSUER" | "JWT_AUDIENCE" | "ACCESS_TOKEN_TTL">;
  now: () => number;
}

/** GET /api/profile, /api/profile/:username, /api/skins; POST /api/skins/:id/unlock|equip; POST /api/admin/users/:id/points. */
export function createProgressionRouter(deps: ProgressionRouterDeps): express.Router {
  const { progression, auth } = deps;
  const router = express.Router();
  const identity = (res: express.Response) => res.locals.identity as IdentityClaims;
  const userId = (res: express.Response) => Number(identity(res).sub);

  router.use(["/api/profile", "/api/skins"], (_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  registerRoute({ method: "get", path: "/api/profile", summary: "The caller's profile: balance, lifetime earned, login streak, skins and the last 20 ledger rows.", tags: ["progression"], security: "identity", responses: { 200: { description: "Profile.", schema: profileResponse }, 401: { description: "UNAUTHORIZED / SESSION_EXPIRED" } } });
  router.get("/api/profile", auth.requireIdentity, async (_req, res) => {
    const p = await progression.profile(userId(res));
    res.json({
      success: true,
      username: p.username,
      balance: p.balance,
      lifetime_earned: p.lifetimeEarned,
      login_streak: p.loginStreak,
      owned_skins: p.ownedSkins,
      equipped_skin: p.equippedSkin,
      ledger: p.ledger.map((r) => ({ id: r.id, amount: r.amount, reason: r.reason, reference: r.reference, created_at: r.createdAt.toISOString() })),
    });
  });

  registerRoute({ method: "get", path: "/api/profile/:username", summary: "A player's public card: username, lifetime points, equipped skin, best placements.", tags: ["progression"], responses: { 200: { description: "Card.", schema: publicProfileResponse }, 400: { description: "VALIDATION_FAILED (not a username)" }, 404: { description: "NOT_FOUND" } } });
  router.get("/api/profile/:username", async (req, res) => {
    const name = normalizeName(String(req.params.username));
    if (!name.ok) throw new AppError("VALIDATION_FAILED", "Not a valid username.");
    const p = await progression.publicProfile(name.name);
    res.json({ success: true, username: p.username, lifetime_points: p.lifetimePoints, equipped_skin: p.equippedSkin, best_placements: p.bestPlacements });
  });

  registerRoute({ method: "get", path: "/api/skins", summary: "The skin catalogue; with a Bearer token, which skins the caller owns and wears.", tags: ["progression"], responses: { 200: { description: "Catalogue.", schema: skinsResponse } } });
  router.get("/api/skins", auth.optionalIdentity, async (_req, res) => {
    res.json({ success: true, skins: await progression.skins(res.locals.identity ? userId(res) : undefined) });
  });

  registerRoute({ method: "post", path: "/api/skins/:id/unlock", summary: "Spends profile points on a skin, atomically; already owned answers 200 and spends nothing.", tags: ["progression"], security: "identity", responses: { 200: { description: "Owned.", schema: unlockResponse }, 404: { description: "SKIN_NOT_FOUND" }, 409: { description: "INSUFFICIENT_POINTS with balance and price" } } });
  router.post("/api/skins/:id/unlock", auth.requireIdentity, async (req, res) => {
    const result = await progression.unlockSkin(userId(res), String(req.params.id));
    res.json({ success: true, skin_id: result.skinId, spent: result.spent, balance: result.balance });
  });

  registerRoute({ method: "post", path: "/api/skins/:id/equip", summary: "Wears an owned skin; answers a fresh access JWT whose skin claim the game server reads on join.", tags: ["progression"], security: "identity", responses: { 200: { description: "Equipped.", schema: equipResponse }, 403: { description: "SKIN_NOT_OWNED" }, 404: { description: "SKIN_NOT_FOUND" } } });
  router.post("/api/skins/:id/equip", auth.requireIdentity, async (req, res) => {
    const claims = identity(res);
    const skin = await progression.equipSkin(Number(claims.sub), String(req.params.id));
    const token = signIdentityToken({ sub: claims.sub, nick: claims.nick, sid: claims.sid, role: claims.role, skin }, deps.keys.signing, {
      issuer: deps.config.JWT_ISSUER,
      audience: deps.config.JWT_AUDIENCE,
      ttlSeconds: deps.config.ACCESS_TOKEN_TTL,
      now: Math.floor(deps.now() / 1000),
    });
    res.json({ success: true, equipped_skin: skin, access_token: token, token_type: "Bearer", expires_in: deps.config.ACCESS_TOKEN_TTL });
  });

  registerRoute({ method: "post", path: "/api/admin/users/:id/points", summary: "Adjusts an account's balance (+/−) with a reason: a ledger row and an audit row in one transaction.", tags: ["admin"], security: "identity", body: adjustBody, responses: { 200: { description: "Adjusted (or replayed by reference).", schema: adjustResponse }, 403: { description: "FORBIDDEN (not an admin)" }, 404: { description: "No such user." }, 409: { description: "INSUFFICIENT_POINTS (would go below 0)" } } });
  router.post("/api/admin/users/:id/points", auth.requireAdmin, async (req, res) => {
    const target = userIdParam.safeParse(req.params.id);
    if (!target.success) throw new AppError("VALIDATION_FAILED", "The user id must be an integer from 1 to 2147483647.");
    const body = parseBody(adjustBody, req);
    const result = await progression.adjustPoints(userId(res), Number(target.data), body.amount, body.reason, body.reference);
    res.json({ success: true, user_id: String(result.userId), amount: result.amount, balance: result.balance, reference: result.reference, replay: result.replay });
  });

  return router;
}
