import { z } from "zod";

/** An empty value counts as unset (so the default applies), in both apps alike. */
const unsetWhenEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema);

/**
 * The configuration keys both apps read and must agree on, with their one default and doc
 * line. backend/src/config.ts and game-server/src/config.ts extend this schema, so a default
 * cannot drift between them; scripts/config-docs.ts lists these keys in both README tables.
 */
export const sharedConfigSchema = z.object({
  /** "development" | "production" | "test"; production turns on each app's production checks. */
  NODE_ENV: unsetWhenEmpty(z.enum(["development", "production", "test"]).default("development")).describe("Runtime environment."),
  /** pino log level. */
  LOG_LEVEL: unsetWhenEmpty(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")).describe("Log level."),
  /** Redis URL; unset = in-process stores (one process only). When set, sessions, presence, matchmaking, room keys/codes, the results outbox, rank cache, rate limits and the scoreboard fan-out are shared across processes. */
  REDIS_URL: unsetWhenEmpty(z.string().url().optional()).describe("Redis URL; unset = in-process stores."),
  /** Prefix of every Redis key and channel either app writes (isolates deployments and test runs); the game server reads the backend's sessions at `<prefix>session:<sid>`, so both apps must use the same. Layout: shared/src/contracts/redis-keys.ts. */
  REDIS_KEY_PREFIX: unsetWhenEmpty(z.string().default("arena:")).describe("Prefix of every Redis key and channel; the same in both apps."),
  /** `iss` of identity JWTs: the backend signs with it, the game server expects it. */
  JWT_ISSUER: unsetWhenEmpty(z.string().min(1).default("arena-backend")).describe("Identity JWT issuer."),
  /** `aud` of identity JWTs (the backend signs it, the game server expects it); also the audience of room tickets. */
  JWT_AUDIENCE: unsetWhenEmpty(z.string().min(1).default("arena")).describe("Identity JWT audience."),
});

export type SharedConfig = z.infer<typeof sharedConfigSchema>;
