import { z } from "zod";
import { SKINS, SkinShape } from "@arena/shared/progression/index";

/** The daily login bonus a login, refresh or /current_user answer carries when it granted one (null otherwise). */
export const dailyBonusSchema = z
  .object({
    granted: z.number().int().describe("Points credited."),
    streak: z.number().int().describe("Consecutive UTC days, today included."),
    day: z.string().describe("The UTC day, YYYY-MM-DD."),
  })
  .nullable()
  .describe("The daily login bonus this response granted, or null.");

const skinId = z.string().describe(`A skin id of the catalogue (${SKINS.length} skins).`);

export const ledgerRowSchema = z.object({
  id: z.string(),
  amount: z.number().int().describe("Credit (+) or spend (−)."),
  reason: z.enum(["match", "login_bonus", "skin_unlock", "admin_adjust"]),
  reference: z.string().describe("Match id, UTC day, skin id or adjustment key."),
  created_at: z.string(),
});

export const profileResponse = z.object({
  success: z.literal(true),
  username: z.string(),
  balance: z.number().int(),
  lifetime_earned: z.number().int(),
  login_streak: z.number().int().describe("Consecutive UTC days with a login bonus (0 once a day is missed)."),
  owned_skins: z.array(skinId),
  equipped_skin: skinId,
  ledger: z.array(ledgerRowSchema).describe("The last 20 rows, newest first."),
});

export const publicProfileResponse = z.object({
  success: z.literal(true),
  username: z.string(),
  lifetime_points: z.number().int(),
  equipped_skin: skinId,
  best_placements: z.array(z.object({ mode: z.string(), placement: z.number().int(), matches: z.number().int() })),
});

const lookSchema = z.object({
  shape: z.enum(Object.values(SkinShape) as [SkinShape, ...SkinShape[]]),
  fill: z.string(),
  stroke: z.string(),
  glow: z.string().optional(),
});

export const skinsResponse = z.object({
  success: z.literal(true),
  skins: z.array(
    z.object({ id: skinId, name: z.string(), price: z.number().int(), look: lookSchema, owned: z.boolean().describe("Always false when not logged in."), equipped: z.boolean() }),
  ),
});

export const unlockResponse = z.object({
  success: z.literal(true),
  skin_id: skinId,
  spent: z.boolean().describe("False when the skin was already owned: nothing was spent."),
  balance: z.number().int(),
});

export const equipResponse = z.object({
  success: z.literal(true),
  equipped_skin: skinId,
  access_token: z.string().describe("A fresh identity JWT carrying the new skin claim: use it for the next room ticket."),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int(),
});

/** POST /api/admin/users/:id/points */
export const adjustBody = z.object({
  amount: z.number().int().min(-1_000_000).max(1_000_000).refine((v) => v !== 0, "amount must not be 0"),
  reason: z.string().trim().min(1).max(200).describe("Why: kept in the audit log."),
  reference: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/).optional().describe("Idempotency key; a retry with the same key changes nothing. Default: a new key."),
});

export const adjustResponse = z.object({
  success: z.literal(true),
  user_id: z.string(),
  amount: z.number().int(),
  balance: z.number().int(),
  reference: z.string(),
  replay: z.boolean(),
});
