import { z } from "zod";
import { DEFAULT_GAME_SETTINGS, type GameSettings } from "../rules/game-settings.ts";

/** An empty value counts as unset (so the default applies), in both apps alike. */
const unsetWhenEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema);
/** A whole number of at least `min`. */
const whole = (fallback: number, min = 1) => unsetWhenEmpty(z.coerce.number().int().min(min).default(fallback));

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
  /** Longest lifetime (exp − iat) accepted on an identity or service token, seconds; a longer-lived token is refused. At least the backend's ACCESS_TOKEN_TTL. */
  MAX_TOKEN_LIFETIME: whole(3600).describe("Longest accepted token lifetime (exp - iat), seconds."),
  /** Clock skew tolerated on a token's `iat`, seconds: a token issued further in the future is refused. */
  TOKEN_CLOCK_SKEW: whole(30, 0).describe("Tolerated future iat, seconds."),

  // ── the game rules: the game server plays by them, the backend checks reported results against them ──
  /** Length of a timed game (classic, shaky), ms; a reported timed game may not last longer. */
  GAME_DURATION_MS: whole(DEFAULT_GAME_SETTINGS.durationMs).describe("Timed game length, ms."),
  /** Steps of a `steps` game. */
  STEPS_COUNT: whole(DEFAULT_GAME_SETTINGS.stepsCount).describe("Steps of a steps game."),
  /** Longest an untimed `steps` game may run before it is abandoned, ms. */
  STEPS_MAX_MS: whole(DEFAULT_GAME_SETTINGS.stepsMaxMs).describe("Longest steps game, ms."),
  /** Sliding window of the burst threshold, ms; also bounds the points of a reported timed game. */
  BURST_WINDOW_MS: whole(DEFAULT_GAME_SETTINGS.burstWindowMs).describe("Burst window, ms."),
  /** Most point events allowed inside one burst window; one more is a burst. */
  BURST_MAX_POINTS: whole(DEFAULT_GAME_SETTINGS.burstMaxPoints).describe("Points per burst window."),
  /** Largest allowed gap between server-elapsed and client-elapsed time of a point, ms. */
  LATENCY_ALLOWANCE_MS: whole(DEFAULT_GAME_SETTINGS.latencyAllowanceMs).describe("Latency allowance, ms."),
});

export type SharedConfig = z.infer<typeof sharedConfigSchema>;

/**
 * The game rules from the shared keys (the game server plays by them, the backend checks reported
 * results against them); `own` adds an app's further rule keys (the game server's burst limit).
 */
export function gameRulesFrom(config: SharedConfig, own: Partial<GameSettings> = {}): GameSettings {
  return {
    ...DEFAULT_GAME_SETTINGS,
    durationMs: config.GAME_DURATION_MS,
    stepsCount: config.STEPS_COUNT,
    stepsMaxMs: config.STEPS_MAX_MS,
    burstWindowMs: config.BURST_WINDOW_MS,
    burstMaxPoints: config.BURST_MAX_POINTS,
    latencyAllowanceMs: config.LATENCY_ALLOWANCE_MS,
    ...own,
  };
}
