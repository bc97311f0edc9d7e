import { z } from "zod";
import { sharedConfigSchema } from "@arena/shared/contracts/shared-config";
import { parsePlacementMultipliers } from "@arena/shared/progression/match-points";

/** Comma-separated list → trimmed, non-empty strings. */
const list = () =>
  z
    .string()
    .default("")
    .transform((raw) => raw.split(",").map((s) => s.trim()).filter(Boolean));

/** Whole seconds, at least `min`. */
const seconds = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);

/** PEM text; accepts the one-line form with literal `\n` escapes (and surrounding quotes) that `npm run keys` writes. */
const pem = () =>
  z
    .string()
    .optional()
    .transform((raw) => (raw ? raw.trim().replace(/^"|"$/g, "").replace(/\\n/g, "\n") : undefined));

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"])
    .default(fallback ? "true" : "false")
    .transform((v) => v === "true" || v === "1" || v === "yes");

/**
 * The backend's configuration, read from the environment once at boot. Each key has a
 * default (embedded mode needs none set) and a doc line; a bad value throws naming the key.
 */
const configSchema = sharedConfigSchema.extend({
  /** HTTP port (0 = any free port). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe("HTTP port (0 = any free port)."),
  /** Interface to bind; 0.0.0.0 to accept remote connections. */
  HOST: z.string().min(1).default("127.0.0.1").describe("Interface to bind."),
  /** Port of the separate operations listener serving GET /metrics (0 = any free port); unset = no metrics listener. The public listener never serves /metrics. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional().describe("Metrics listener port; unset = off."),
  /** Interface of the metrics listener: loopback by default, so only this machine (or a sidecar scraper) reads it. */
  METRICS_HOST: z.string().min(1).default("127.0.0.1").describe("Metrics listener interface."),
  /** PostgreSQL URL; unset = embedded PGlite under DATA_DIR/pglite. */
  DATABASE_URL: z.string().url().optional().describe("PostgreSQL URL; unset = embedded PGlite."),
  /** Embedded data: PGlite files and generated keys. */
  DATA_DIR: z.string().min(1).default("./.data").describe("Embedded data directory (PGlite, generated keys)."),
  /** Lifetime of an access (identity) JWT, seconds. */
  ACCESS_TOKEN_TTL: seconds(900, 10).describe("Access JWT lifetime, seconds."),
  /** Verified identity tokens remembered (LRU, each until its `exp`) so a repeat request skips the ES256 verify; the session is still checked on every request. 0 = verify every time. */
  IDENTITY_CACHE_SIZE: z.coerce.number().int().min(0).default(10_000).describe("Verified identity tokens cached until their exp (LRU); 0 = off."),
  /** Absolute lifetime of a login session (and its refresh tokens), seconds. */
  SESSION_TTL: seconds(7 * 24 * 3600, 60).describe("Absolute session lifetime, seconds."),
  /** A session with no heartbeat (login, refresh, heartbeat, /current_user) for this long is cleared, seconds. */
  HEARTBEAT_TIMEOUT: seconds(600, 5).describe("Idle session timeout without heartbeat, seconds."),
  /** How often the sweeper deletes idle and expired sessions, seconds. */
  SESSION_SWEEP_INTERVAL: seconds(30).describe("Session sweeper period, seconds."),
  /** Current identity signing key (PKCS#8 PEM, P-256). Unset = generated once under DATA_DIR/keys. */
  IDENTITY_SIGNING_KEY: pem().describe("Identity signing key, PEM (P-256 private). Unset = generated under DATA_DIR/keys."),
  /** Older public keys (SPKI PEMs, concatenated) still published and accepted during rotation. */
  IDENTITY_VERIFY_KEYS: pem().describe("Older identity public keys (PEMs, concatenated) still accepted."),
  /** Largest accepted request body (express/bytes syntax, e.g. "64kb"). */
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)?$/i, "like 64kb").default("64kb").describe("Request body size limit."),
  /** Failed logins in a row for one username from one client IP before that (username, IP) pair locks; the owner on another address is not affected. */
  LOGIN_LOCK_THRESHOLD: z.coerce.number().int().min(1).default(5).describe("Failed logins for one username from one IP before that pair locks."),
  /** First lock duration, seconds; doubles with each further failure (every login-throttle scope). */
  LOGIN_LOCK_BASE: seconds(30).describe("First lockout, seconds (doubles per further failure)."),
  /** Longest lock duration, seconds. */
  LOGIN_LOCK_MAX: seconds(3600).describe("Longest lockout, seconds."),
  /** Failed logins from one client IP over every username before that IP is locked out of login (password spraying). */
  LOGIN_IP_THRESHOLD: z.coerce.number().int().min(1).default(50).describe("Failed logins from one IP (any usernames) before that IP locks."),
  /** Failed logins for one username from every IP together before the username locks everywhere: a much higher ceiling than LOGIN_LOCK_THRESHOLD, so a few attacking addresses cannot lock the owner out. */
  LOGIN_ACCOUNT_THRESHOLD: z.coerce.number().int().min(1).default(100).describe("Failed logins for one username from all IPs before it locks everywhere."),
  /** A login-throttle scope with no failure for this long forgets its failures, seconds. */
  LOGIN_FAILURE_WINDOW: seconds(86_400).describe("Quiet time after which counted login failures are forgotten, seconds."),
  /** Register + login requests allowed per client IP per minute (argon2 is deliberately expensive). */
  AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(60).describe("Register + login requests per client IP per minute."),
  /** Development only: existing accounts with these usernames are promoted to admin when they log in (never at register). Refused when NODE_ENV=production: use `npm run admin -- grant <username>`. */
  ADMIN_USERNAMES: list().describe("Development only: usernames promoted to admin at login; refused in production."),
  /** Browser origins allowed to call the API cross-origin (CORS, with credentials). Empty = same origin only. */
  CORS_ORIGINS: list().describe("Comma-separated origins allowed by CORS."),
  /** How long a refresh cookie just replaced by GET /current_user is still accepted by the cookie routes (concurrent tabs), seconds; later it counts as reuse. POST /auth/refresh has no grace. */
  REFRESH_COOKIE_GRACE: seconds(30, 0).describe("Grace for a just-rotated refresh cookie on the cookie routes, seconds."),
  /** Mark the refresh cookie `Secure` (set true behind HTTPS). */
  COOKIE_SECURE: bool(false).describe("Secure flag on the refresh cookie."),
  /** Express "trust proxy" hops (0 = use the socket address as client IP). */
  TRUST_PROXY: z.coerce.number().int().min(0).default(0).describe("Reverse-proxy hops to trust for client IPs."),
  /** A request taking at least this long is logged at info whatever its status (others that succeed log at debug), ms. */
  SLOW_REQUEST_MS: z.coerce.number().int().min(1).default(1000).describe("Requests at least this slow are logged at info, ms."),

  // ── scores and live scoreboard ──
  /** Score updates allowed per user per RATE_LIMIT_WINDOW. */
  RATE_LIMIT_PER_USER: z.coerce.number().int().min(1).default(10).describe("Score updates per user per window."),
  /** Score update requests allowed across all users per RATE_LIMIT_WINDOW (per deployment when REDIS_URL is set). */
  RATE_LIMIT_GLOBAL: z.coerce.number().int().min(1).default(1000).describe("Score update requests across all users per window."),
  /** Rate-limit window, seconds. */
  RATE_LIMIT_WINDOW: seconds(60).describe("Rate-limit window, seconds."),
  /** Per-user rate-limit violations within PENALTY_WINDOW that start a temporary ban. */
  PENALTY_VIOLATIONS: z.coerce.number().int().min(2).default(3).describe("Violations within PENALTY_WINDOW that start a temporary ban."),
  /** Window for counting violations, seconds. */
  PENALTY_WINDOW: seconds(300).describe("Window for counting rate-limit violations, seconds."),
  /** First temporary ban, seconds; doubles with each further ban (strike). */
  PENALTY_BASE_BAN: seconds(60).describe("First temporary ban, seconds (doubles per strike)."),
  /** Longest temporary ban, seconds. */
  PENALTY_MAX_BAN: seconds(86_400).describe("Longest temporary ban, seconds."),
  /** How long strikes are remembered, seconds. */
  PENALTY_MEMORY: seconds(86_400).describe("How long strikes are remembered, seconds."),
  /** Most points one client action may carry (each action type may allow fewer). */
  MAX_POINTS_PER_ACTION: z.coerce.number().int().min(1).default(1000).describe("Most points per client action."),
  /** Points per second, averaged over VELOCITY_WINDOW, above which an account is flagged for review. */
  SUSPICIOUS_VELOCITY_THRESHOLD: z.coerce.number().int().min(1).default(100).describe("Points/s over VELOCITY_WINDOW that flag an account."),
  /** Velocity window, seconds. */
  VELOCITY_WINDOW: seconds(60).describe("Velocity window, seconds."),
  /** Points gained within MANUAL_REVIEW_WINDOW that put an account in the manual review queue. */
  MANUAL_REVIEW_THRESHOLD: z.coerce.number().int().min(1).default(10_000).describe("Points within MANUAL_REVIEW_WINDOW that flag an account."),
  /** Manual review window, seconds. */
  MANUAL_REVIEW_WINDOW: seconds(3600).describe("Manual review window, seconds."),
  /** Open scoreboard WebSockets per process; more are closed with code 4001. */
  WS_CONNECTION_LIMIT: z.coerce.number().int().min(1).default(1000).describe("Scoreboard WebSockets per process (close code 4001 beyond)."),
  /** Open scoreboard WebSockets per client IP (the socket address, or the X-Forwarded-For hop TRUST_PROXY selects); more are closed with code 4007. */
  WS_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).default(20).describe("Scoreboard WebSockets per client IP (close code 4007 beyond)."),
  /** An anonymous scoreboard WebSocket that sends no SUBSCRIBE within this many seconds is closed with code 4008 (authenticated ones may stay on their default board). */
  WS_SUBSCRIBE_TIMEOUT: seconds(10).describe("Seconds an anonymous scoreboard socket may stay without SUBSCRIBE (close code 4008)."),
  /** Messages a scoreboard WebSocket client may send per second (token bucket, bursts of the same size); more close the socket with code 4006. */
  WS_MAX_MESSAGES_PER_SECOND: z.coerce.number().int().min(1).default(10).describe("Messages per second a scoreboard WebSocket client may send (close code 4006 beyond)."),
  /** Seconds between WebSocket pings; a connection that misses a pong is dropped. */
  WS_HEARTBEAT_INTERVAL: seconds(30).describe("Scoreboard WebSocket ping interval, seconds."),
  /** Most score commands committed in one transaction (group commit). */
  SCORE_BATCH_MAX: z.coerce.number().int().min(1).default(256).describe("Most score commands per group commit."),
  /** Extra wait for more commands before a partial batch commits, ms (0 = commit as soon as a slot is free). */
  SCORE_BATCH_WAIT_MS: z.coerce.number().int().min(0).default(0).describe("Group commit linger, ms."),
  /** Group commits in flight at once. */
  SCORE_BATCH_CONCURRENCY: z.coerce.number().int().min(1).default(4).describe("Group commits in flight at once."),
  /** How often the backend checks that Redis still holds the session mirror (refilled from the database when lost), ms. */
  SESSION_MIRROR_CHECK_INTERVAL: z.coerce.number().int().min(50).default(500).describe("Session mirror loss check interval (Redis restarted empty), ms."),
  /** Longest a Redis command may wait for its answer before it fails (a frozen Redis answers 503 instead of hanging), ms. */
  REDIS_COMMAND_TIMEOUT: z.coerce.number().int().min(50).default(1000).describe("Redis command timeout, ms."),
  /** Longest wait for a PostgreSQL connection, ms. */
  DB_CONNECT_TIMEOUT: z.coerce.number().int().min(50).default(2000).describe("PostgreSQL connection timeout, ms."),
  /** Longest wait for a PostgreSQL query's answer, ms. */
  DB_QUERY_TIMEOUT: z.coerce.number().int().min(50).default(10_000).describe("PostgreSQL query timeout, ms."),
  /** How long a dependency's circuit breaker refuses calls after repeated failures before it tries again, ms. */
  BREAKER_OPEN_MS: z.coerce.number().int().min(50).default(1000).describe("Circuit breaker open period before a trial call, ms."),
  /** Redis rank caches older than this are rebuilt from the database, seconds. */
  RANK_CACHE_TTL: seconds(600).describe("Redis rank cache rebuild age, seconds."),
  /** The game server's service public key (SPKI PEM, P-256). Unset = /internal routes answer 503. */
  SERVICE_PUBLIC_KEY: pem().describe("Game server service public key, PEM; unset disables /internal routes."),

  // ── matches and chat ──
  /** Room chat lines are kept this long after they were sent (the admin audit trail), then purged, seconds. */
  CHAT_RETENTION: seconds(7 * 24 * 3600).describe("Chat audit retention, seconds."),
  /** How often the sweeper purges chat older than CHAT_RETENTION, seconds. */
  CHAT_SWEEP_INTERVAL: seconds(3600).describe("Chat purge period, seconds."),
  /** Built players' page served at `/`. */
  WEB_DIST_DIR: z.string().min(1).default(new URL("../../web/dist", import.meta.url).pathname).describe("Built web page directory served at /."),
  /** Public URL of a game server for the page (`/config.json`), http(s):// or ws(s)://; unset = this host, port 2567. */
  GAME_SERVER_URL: z
    .string()
    .regex(/^(https?|wss?):\/\/[^/\s]+/i, "must be an http(s):// or ws(s):// URL with a host")
    .optional()
    .describe("Game server URL given to the page, http(s):// or ws(s)://; unset = same host, port 2567."),

  // ── progression: profile points and skins ──
  /** Profile-point multipliers for 1st, 2nd, 3rd… place (comma-separated); later places and solo rooms pay 1×. */
  PLACEMENT_MULTIPLIERS: z
    .string()
    .default("3,2,1.5")
    .transform((raw, ctx) => parsePlacementMultipliers(raw) ?? (ctx.addIssue({ code: "custom", message: "comma-separated numbers from 0 to 100, e.g. 3,2,1.5" }), z.NEVER))
    .describe("Profile-point multipliers for 1st, 2nd, 3rd… place, comma-separated (later places and solo rooms 1×)."),
  /** Steps matches: points scored = 1 for completing + one per whole second under this time, ms. */
  STEPS_PAR_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000).describe("Steps points scored: 1 for finishing + 1 per whole second under this time, ms."),
  /** Points for the first login, refresh or /current_user of each UTC day. */
  DAILY_LOGIN_BONUS: z.coerce.number().int().min(0).max(100_000).default(50).describe("Daily login bonus, points (once per account and UTC day)."),
  /** Extra daily-bonus points per consecutive UTC day after the first. */
  LOGIN_STREAK_BONUS: z.coerce.number().int().min(0).max(100_000).default(10).describe("Extra daily-bonus points per consecutive day of the streak after the first."),
  /** Most streak days that add LOGIN_STREAK_BONUS (the cap). */
  LOGIN_STREAK_CAP: z.coerce.number().int().min(0).max(365).default(6).describe("Most streak days that add LOGIN_STREAK_BONUS."),
  /** Most ledger credits committed in one statement (group commit of match credits). */
  POINTS_BATCH_MAX: z.coerce.number().int().min(1).default(256).describe("Most ledger credits per group commit."),
  /** Ledger credit group commits in flight at once. */
  POINTS_BATCH_CONCURRENCY: z.coerce.number().int().min(1).default(4).describe("Ledger credit group commits in flight at once."),
});

export type BackendConfig = z.infer<typeof configSchema>;

/** Doc line per key, for `--help`-style listings and the README. */
export function describeBackendConfig(): Array<{ key: string; doc: string }> {
  return Object.entries(configSchema.shape).map(([key, schema]) => ({ key, doc: schema.description ?? "" }));
}

/**
 * Parses the configuration from `env` (empty strings count as unset). Throws an Error
 * whose message names every bad key.
 */
export function loadBackendConfig(env: Record<string, string | undefined> = process.env): BackendConfig {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") input[key] = value;
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid backend configuration: ${problems.join("; ")}`);
  }
  if (parsed.data.ACCESS_TOKEN_TTL > parsed.data.MAX_TOKEN_LIFETIME) {
    throw new Error("Invalid backend configuration: ACCESS_TOKEN_TTL: longer than MAX_TOKEN_LIFETIME (its own tokens would be refused).");
  }
  if (parsed.data.NODE_ENV === "production" && parsed.data.ADMIN_USERNAMES.length > 0) {
    throw new Error("Invalid backend configuration: ADMIN_USERNAMES: not allowed when NODE_ENV=production; grant admin with `npm run admin -- grant <username>`.");
  }
  return parsed.data;
}
