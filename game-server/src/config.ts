import { z } from "zod";
import { sharedConfigSchema } from "@arena/shared/contracts/shared-config";

/**
 * PEMs may arrive on one line with literal "\n" escapes and surrounding quotes (an env file read
 * without compose's unquoting, e.g. `docker run --env-file`): restore the newlines.
 */
const pem = z
  .string()
  .transform((value) => value.trim().replace(/^"|"$/g, "").replace(/\\n/g, "\n").trim())
  .refine((value) => value.startsWith("-----BEGIN "), "must be a PEM");
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** Comma-separated list → trimmed, non-empty strings. */
const list = () => z.string().default("").transform((raw) => raw.split(",").map((s) => s.trim()).filter(Boolean));
const flag = (fallback: boolean) =>
  z.enum(["true", "false", "1", "0"]).default(fallback ? "true" : "false").transform((v) => v === "true" || v === "1");

/**
 * Every setting of the game server: one key per environment variable, each with its
 * default and meaning. Other parts of the game server (the game logic) add their keys here.
 */
export const configSchema = sharedConfigSchema.extend({
  /** Port of the HTTP + WebSocket listener. */
  PORT: z.coerce.number().int().min(0).max(65535).default(2567),
  /** Interface to listen on (0.0.0.0 inside containers). */
  HOST: z.string().default("127.0.0.1"),
  /** Port of the separate operations listener serving GET /metrics (0 = any free port); unset = no metrics listener. The public listener never serves /metrics. */
  METRICS_PORT: optional(z.coerce.number().int().min(0).max(65535)),
  /** Interface of the metrics listener: loopback by default, so only this machine (or a sidecar scraper) reads it. */
  METRICS_HOST: z.string().default("127.0.0.1"),
  /** host:port clients use to reach THIS process (RedisDriver seat reservations); defaults to HOST:PORT. */
  PUBLIC_ADDRESS: optional(z.string()),
  /** Longest a Redis command may wait for its answer before it fails (a frozen Redis fails requests instead of hanging them), ms. */
  REDIS_COMMAND_TIMEOUT: positiveInt(1000),
  /** How long the Redis circuit breaker refuses calls after repeated failures before it tries again, ms. */
  BREAKER_OPEN_MS: positiveInt(1000),
  /** The backend's JWKS (identity public keys by kid), e.g. http://127.0.0.1:3000/.well-known/jwks.json. */
  IDENTITY_JWKS_URL: optional(z.string().url()),
  /** Alternatively the backend's identity public key (PEM, ES256 P-256); used for any kid. */
  IDENTITY_PUBLIC_KEY: optional(pem),
  /** Minimum seconds between two JWKS fetches triggered by an unknown kid. */
  JWKS_REFETCH_INTERVAL: positiveInt(10),
  /** `iss` of the room tickets this server signs. */
  TICKET_ISSUER: z.string().default("arena-game-server"),
  /** Room ticket lifetime in seconds (at most 30 minutes). */
  TICKET_TTL: positiveInt(600).refine((v) => v <= 1800, "at most 1800 seconds"),
  /** Lifetime in seconds of a `presence:<id>` key; refreshed every third of it while the holder is seated. */
  PRESENCE_TTL: positiveInt(30),
  /** Lifetime in seconds of a room's key and code records; refreshed by the live room like presence. */
  ROOM_RECORD_TTL: positiveInt(120),
  /** Seconds a room may stay without any player (never joined, or everyone left) before it is disposed. */
  EMPTY_ROOM_TIMEOUT: positiveInt(60),
  /** Seconds a dropped client may take to reconnect and keep its seat. */
  RECONNECT_WINDOW: positiveInt(20),
  /** Messages per second a client may send before it is disconnected. */
  MAX_MESSAGES_PER_SECOND: positiveInt(30),
  /**
   * Largest WebSocket message accepted, in bytes (bigger closes the socket). The game's final
   * submission carries every point token (~70 bytes each): a default 30 s game allows up to 240
   * points (~17 KB), hence 32 KiB.
   */
  MAX_MESSAGE_BYTES: positiveInt(32_768),
  /** Open WebSockets per client IP; the upgrade beyond it is refused with 429. */
  WS_CONNECTIONS_PER_IP: positiveInt(16),
  /** Reverse-proxy hops trusted for the client IP (X-Forwarded-For); 0 = the socket address. Same meaning as the backend's. */
  TRUST_PROXY: z.coerce.number().int().min(0).default(0),
  /** Tickets (POST /getTicket, players and guests) one client IP may take per minute from one process; past it RATE_LIMIT_EXCEEDED. */
  TICKET_RATE_LIMIT: positiveInt(300),
  /** Rooms (POST /rooms) one account may create per minute on one process; past it RATE_LIMIT_EXCEEDED. */
  ROOM_CREATE_RATE_LIMIT: positiveInt(30),
  /** Largest accepted number of players per room (POST /rooms maxPlayers). */
  MAX_PLAYERS_LIMIT: positiveInt(16),
  /** Monitor (/colyseus) basic-auth user. */
  ADMIN_USER: z.string().min(1).default("admin"),
  /** Monitor basic-auth password (at least 12 characters). No default: unset = the monitor is off. `npm start` generates one at first start under DATA_DIR/keys and prints it. */
  ADMIN_PASSWORD: optional(z.string().min(12, "at least 12 characters")),
  /** Browser origins allowed to call this server cross-origin (CORS, with credentials), comma-separated; the players' page origin belongs here. Empty = same origin only. `npm start` adds the page it serves. */
  CORS_ORIGINS: list(),
  /** Print the Colyseus greeting banner at boot. */
  GREET: flag(false),

  // ── game (game-server/src/game, docs/game.md) ──
  /** Bursts tolerated within BURST_PERIOD_MS; one more ends the game and flags the account. */
  BURST_LIMIT: positiveInt(3),
  /** Period over which bursts are counted, ms. */
  BURST_PERIOD_MS: positiveInt(10_000),
  /** Backend base URL for POST /internal/game-results and /internal/flags. */
  BACKEND_URL: z.string().url().default("http://127.0.0.1:3000"),
  /** The game server's service-credential private key (PEM, ES256 P-256); unset: results wait in the outbox. */
  SERVICE_PRIVATE_KEY: optional(pem),
  /** First retry delay of the results outbox, ms (doubles per attempt). */
  OUTBOX_RETRY_BASE_MS: positiveInt(500),
  /** Longest delay between two delivery attempts of one result, ms. */
  OUTBOX_RETRY_MAX_MS: positiveInt(60_000),

  // ── matches (game-server/src/match, docs/match.md) ──
  /** Countdown between the host's start_match and the round's start, ms. */
  MATCH_COUNTDOWN_MS: positiveInt(3_000),
  /** How long the results phase lasts after match_results before the room is back in lobby, ms. */
  MATCH_RESULTS_MS: positiveInt(10_000),
  /** Longest wait for a round's submissions before its match record is sent, ms. */
  MATCH_SUBMIT_GRACE_MS: positiveInt(5_000),
  /** A player with no message for this long is inactive ("away"), ms. */
  PLAYER_INACTIVE_MS: positiveInt(30_000),
  /** How often a room checks its players' activity and its own idleness, ms. */
  ROOM_SWEEP_MS: positiveInt(1_000),
  /** Seconds without any message or join after which a room is closed (its players are told why). */
  ROOM_IDLE_TIMEOUT: positiveInt(3_600),
  /** Chat lines one player may send per CHAT_WINDOW_MS. */
  CHAT_MAX_PER_WINDOW: positiveInt(5),
  /** The chat rate window, ms. */
  CHAT_WINDOW_MS: positiveInt(10_000),
  /** How often a room sends its new chat lines to the backend's audit trail, ms. */
  CHAT_FLUSH_MS: positiveInt(1_000),
});

export type GameServerConfig = z.infer<typeof configSchema>;

/** Parses the configuration once at boot; a bad value throws naming its key. */
export function loadConfig(env: Record<string, string | undefined> = process.env): GameServerConfig {
  const known = Object.fromEntries(Object.keys(configSchema.shape).map((key) => [key, env[key]]));
  const parsed = configSchema.safeParse(known);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid game-server configuration: ${problems.join("; ")}`);
  }
  return parsed.data;
}
