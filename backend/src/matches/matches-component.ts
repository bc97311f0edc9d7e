import express from "express";
import type { BackendComponent, BackendContext } from "../backend-context.ts";
import { auditAuthFailures } from "../http/audit-auth-failures.ts";
import { requireService, serviceTokenLimits } from "../internal/service-auth.ts";
import { createMatchRepository, type MatchRepository } from "./match-repository.ts";
import { createMatchRouter } from "./match-routes.ts";
import { createMatchService, type CreditMatchPoints } from "./match-service.ts";

/** Match records from the game server (`POST /internal/match-records`) and players' match history (`GET /api/me/matches`). */
export function createMatchesComponent(ctx: BackendContext, options: { repo?: MatchRepository; creditPoints?: CreditMatchPoints } = {}): BackendComponent {
  const matches = createMatchService({ matches: options.repo ?? createMatchRepository(ctx.db), creditPoints: options.creditPoints });
  const router = express.Router();
  router.use(createMatchRouter({ matches, auth: ctx.auth, requireService: requireService(ctx.config.SERVICE_PUBLIC_KEY, ctx.now, serviceTokenLimits(ctx.config)) }));
  if (ctx.audit) router.use(auditAuthFailures(ctx.audit));
  return { name: "matches", router };
}
