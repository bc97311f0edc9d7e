import { z } from "zod";
import { newNameSchema, PASSWORD_MAX, passwordSchema } from "@arena/shared";
import { dailyBonusSchema } from "../progression/progression-schemas.ts";

const refreshToken = z.string().min(20).max(128).regex(/^[A-Za-z0-9_-]+$/, "malformed token");

/** POST /auth/register */
export const registerBody = z.object({
  username: newNameSchema.describe("3–20 characters after NFKC + lower-casing: a-z, 0-9, '_' and '-'; not a reserved name (admin, root, system, moderator, support… or a look-alike)."),
  password: passwordSchema.describe("8–128 characters."),
});

/** POST /auth/login (any string: a wrong name is just wrong credentials). */
export const loginBody = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(PASSWORD_MAX),
});

/** POST /auth/refresh, POST /auth/logout: the refresh token, unless the cookie carries it. */
export const refreshBody = z
  .object({ refresh_token: refreshToken.optional().describe("Omit when the arena_refresh cookie is sent.") })
  .optional()
  .default({});

export const publicUserSchema = z.object({
  id: z.string().describe("Decimal user id (JWT sub)."),
  username: z.string(),
  role: z.enum(["player", "admin"]),
});

export const registerResponse = z.object({ success: z.literal(true), user: publicUserSchema });

/** Login and refresh answer. */
export const sessionResponse = z.object({
  success: z.literal(true),
  user: publicUserSchema,
  access_token: z.string().describe("Identity JWT (ES256): send as Authorization: Bearer."),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int().describe("Seconds until access_token expires."),
  refresh_token: z.string().describe("One-time refresh token (also set as the HttpOnly arena_refresh cookie)."),
  session_expires_at: z.string().describe("ISO time the session ends regardless of activity."),
  daily_bonus: dailyBonusSchema,
});

export const currentUserResponse = z.object({
  logged_in: z.boolean(),
  user: publicUserSchema.nullable(),
  jwt: z.string().nullable().describe("A fresh identity JWT while the session is valid."),
  expires_in: z.number().int().optional(),
  daily_bonus: dailyBonusSchema.optional().describe("The daily login bonus this response granted, or null (absent when logged out)."),
});

export const heartbeatResponse = z.object({
  success: z.literal(true),
  session_expires_at: z.string(),
  idle_expires_at: z.string().describe("The session is cleared if no heartbeat arrives before this time."),
});

export const okResponse = z.object({ success: z.literal(true) });
