import express, { type Request, type RequestHandler, type Response } from "express";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@arena/shared";
import type { BackendComponent, BackendContext } from "../backend-context.ts";
import { bearerToken } from "../http/auth-middleware.ts";
import { registerRoute } from "../http/openapi.ts";
import { parseBody } from "../http/validate.ts";
import type { DailyBonusGrant, DailyBonusHook } from "../progression/progression-service.ts";
import {
  currentUserResponse,
  heartbeatResponse,
  loginBody,
  okResponse,
  refreshBody,
  registerBody,
  registerResponse,
  sessionResponse,
} from "./auth-schemas.ts";
import { createAuthService, type AuthService, type IssuedSession, type ResumedSession } from "./auth-service.ts";
import type { LoginAttemptStore } from "./login-attempt-store.ts";
import { createLoginThrottle, throttlePolicies } from "./login-throttle.ts";
import { createArgon2Hasher, type PasswordHasher } from "./password-hasher.ts";

/** HttpOnly, SameSite=Strict cookie holding the refresh token for browsers. */
export const REFRESH_COOKIE = "arena_refresh";

/** Codes that mean "not logged in" for GET /current_user (answered 200 with logged_in:false). */
const LOGGED_OUT = new Set(["UNAUTHORIZED", "SESSION_EXPIRED", "INVALID_REFRESH_TOKEN", "ACCOUNT_BANNED"]);

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * POST /auth/register, /auth/login, /auth/refresh, /auth/logout, /auth/heartbeat and
 * GET /current_user, plus the periodic sweep of idle and expired sessions.
 *
 * Credentials: API clients send `Authorization: Bearer <identity JWT>` and keep the
 * refresh token from the login body. Browsers can rely on the HttpOnly `arena_refresh`
 * cookie instead: /current_user, /auth/heartbeat, /auth/refresh and /auth/logout accept it
 * when no Bearer header is sent. /current_user on the cookie rotates it (a just-replaced
 * cookie is still accepted for REFRESH_COOKIE_GRACE seconds, without a new one); /auth/refresh
 * rotates strictly.
 */
export function createAuthComponent(
  ctx: BackendContext,
  options: {
    /** Failed-login records (chosen in infrastructure.ts; the caller closes them). */
    attempts: LoginAttemptStore;
    hasher?: PasswordHasher;
    dailyBonus?: DailyBonusHook;
  },
): BackendComponent {
  const { config } = ctx;
  const { attempts } = options;
  const throttle = createLoginThrottle({ store: attempts, policies: throttlePolicies(config), now: ctx.now });
  const service: AuthService = createAuthService({ ...ctx, throttle, hasher: options.hasher ?? createArgon2Hasher() });
  const router = express.Router();

  const setRefreshCookie = (res: Response, token: string) =>
    res.cookie(REFRESH_COOKIE, token, { httpOnly: true, sameSite: "strict", secure: config.COOKIE_SECURE, path: "/", maxAge: config.SESSION_TTL * 1000 });
  const clearRefreshCookie = (res: Response) =>
    res.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: "strict", secure: config.COOKIE_SECURE, path: "/" });

  /** The first successful login, refresh or /current_user of a UTC day grants the daily bonus; a failure to grant never fails the sign-in. */
  const dailyBonus = async (userId: string): Promise<DailyBonusGrant | null> =>
    options.dailyBonus
      ? options.dailyBonus(Number(userId)).catch((err: unknown) => {
          ctx.log.warn({ err, userId }, "daily bonus not granted");
          return null;
        })
      : null;

  const sendSession = async (res: Response, issued: IssuedSession) => {
    const bonus = await dailyBonus(issued.user.id);
    setRefreshCookie(res, issued.refreshToken);
    res.json({
      success: true,
      user: issued.user,
      access_token: issued.accessToken,
      token_type: "Bearer",
      expires_in: issued.expiresIn,
      refresh_token: issued.refreshToken,
      session_expires_at: issued.sessionExpiresAt.toISOString(),
      daily_bonus: bonus,
    });
  };

  /** The session a request speaks for: Bearer identity JWT first, else the refresh token (body or cookie). */
  async function sessionOf(req: Request, bodyToken?: string): Promise<{ sid: string; via: "bearer" | "refresh" } | undefined> {
    const bearer = bearerToken(req);
    if (bearer) return { sid: (await ctx.auth.authenticate(bearer)).sid, via: "bearer" };
    const refresh = bodyToken ?? readCookie(req, REFRESH_COOKIE);
    if (refresh) return { sid: await service.sessionOfRefreshToken(refresh, req.ip), via: "refresh" };
    return undefined;
  }

  // Per-IP budget for the two routes that run argon2 (per process; enough for one backend).
  const limiter = new RateLimiterMemory({ points: config.AUTH_RATE_LIMIT, duration: 60 });
  const rateLimited: RequestHandler = async (req, _res, next) => {
    try {
      await limiter.consume(req.ip ?? "unknown");
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw new AppError("RATE_LIMIT_EXCEEDED", undefined, Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
    }
    next();
  };

  router.use(["/auth", "/current_user"], (_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  registerRoute({
    method: "post",
    path: "/auth/register",
    summary: "Create an account (username normalised with NFKC; password hashed with argon2id).",
    tags: ["auth"],
    body: registerBody,
    responses: {
      201: { description: "Created.", schema: registerResponse },
      400: { description: "VALIDATION_FAILED" },
      409: { description: "USERNAME_TAKEN" },
      429: { description: "RATE_LIMIT_EXCEEDED (per IP)" },
    },
  });
  router.post("/auth/register", rateLimited, async (req, res) => {
    const body = parseBody(registerBody, req);
    const user = await service.register(body.username, body.password, req.ip);
    res.status(201).json({ success: true, user });
  });

  registerRoute({
    method: "post",
    path: "/auth/login",
    summary: "Log in: a new session, an access JWT and a refresh token (also set as the arena_refresh cookie).",
    tags: ["auth"],
    body: loginBody,
    responses: {
      200: { description: "Logged in.", schema: sessionResponse },
      400: { description: "VALIDATION_FAILED" },
      401: { description: "INVALID_CREDENTIALS (one answer for a wrong name or password)" },
      403: { description: "ACCOUNT_BANNED" },
      429: { description: "ACCOUNT_LOCKED with retry_after (this username from this IP, or from everywhere, failed too often; doubles with repeated failures), or RATE_LIMIT_EXCEEDED (this IP: too many requests or too many failed logins)" },
    },
  });
  router.post("/auth/login", rateLimited, async (req, res) => {
    const body = parseBody(loginBody, req);
    await sendSession(res, await service.login(body.username, body.password, req.ip));
  });

  registerRoute({
    method: "post",
    path: "/auth/refresh",
    summary: "Rotate the refresh token; presenting a used one revokes the whole session (RFC 9700 §4.14.2).",
    tags: ["auth"],
    body: refreshBody,
    security: "identity-or-refresh-cookie",
    responses: {
      200: { description: "New access JWT and refresh token.", schema: sessionResponse },
      401: { description: "INVALID_REFRESH_TOKEN, REFRESH_TOKEN_REUSED, SESSION_EXPIRED" },
      403: { description: "ACCOUNT_BANNED" },
    },
  });
  router.post("/auth/refresh", async (req, res) => {
    const token = parseBody(refreshBody, req).refresh_token ?? readCookie(req, REFRESH_COOKIE);
    if (!token) throw new AppError("INVALID_REFRESH_TOKEN", "No refresh token was sent.");
    try {
      await sendSession(res, await service.refresh(token, req.ip));
    } catch (err) {
      clearRefreshCookie(res);
      throw err;
    }
  });

  registerRoute({
    method: "post",
    path: "/auth/logout",
    summary: "End the session: every token of it is refused from now on (game server included).",
    tags: ["auth"],
    body: refreshBody,
    security: "identity-or-refresh-cookie",
    responses: { 200: { description: "Logged out.", schema: okResponse }, 401: { description: "No valid credential." } },
  });
  router.post("/auth/logout", async (req, res) => {
    const session = await sessionOf(req, parseBody(refreshBody, req).refresh_token);
    if (!session) throw new AppError("UNAUTHORIZED");
    await service.logout(session.sid, req.ip);
    clearRefreshCookie(res);
    res.json({ success: true });
  });

  registerRoute({
    method: "post",
    path: "/auth/heartbeat",
    summary: "Keep the session alive; sessions without a heartbeat for HEARTBEAT_TIMEOUT seconds are cleared.",
    tags: ["auth"],
    security: "identity-or-refresh-cookie",
    responses: { 200: { description: "Alive.", schema: heartbeatResponse }, 401: { description: "UNAUTHORIZED or SESSION_EXPIRED" } },
  });
  router.post("/auth/heartbeat", async (req, res) => {
    const session = await sessionOf(req);
    if (!session) throw new AppError("UNAUTHORIZED");
    const touched = await service.touchSession(session.sid);
    res.json({ success: true, session_expires_at: touched.sessionExpiresAt.toISOString(), idle_expires_at: touched.idleExpiresAt.toISOString() });
  });

  registerRoute({
    method: "get",
    path: "/current_user",
    summary: "Who is logged in, with a fresh access JWT while the session is valid (Bearer JWT, or the arena_refresh cookie, which it rotates).",
    tags: ["auth"],
    security: "identity-or-refresh-cookie",
    responses: { 200: { description: "logged_in true with user and jwt, or false with nulls.", schema: currentUserResponse }, 401: { description: "REFRESH_TOKEN_REUSED" } },
  });
  router.get("/current_user", async (req, res) => {
    try {
      const bearer = bearerToken(req);
      const cookie = readCookie(req, REFRESH_COOKIE);
      let touched: ResumedSession | undefined;
      if (bearer) touched = await service.touchSession((await ctx.auth.authenticate(bearer)).sid);
      // By the cookie, this is the browser's refresh: the cookie rotates (with a grace window for concurrent tabs).
      else if (cookie) touched = await service.resumeByCookie(cookie, req.ip);
      if (touched) {
        if (touched.refreshToken) setRefreshCookie(res, touched.refreshToken);
        res.json({ logged_in: true, user: touched.user, jwt: touched.accessToken, expires_in: touched.expiresIn, daily_bonus: await dailyBonus(touched.user.id) });
        return;
      }
    } catch (err) {
      if (readCookie(req, REFRESH_COOKIE)) clearRefreshCookie(res);
      if (!(err instanceof AppError && LOGGED_OUT.has(err.code))) throw err;
    }
    res.json({ logged_in: false, user: null, jwt: null });
  });

  let sweeping: Promise<unknown> = Promise.resolve();
  const sweepTimer = setInterval(() => {
    sweeping = service.sweep().then(
      (n) => n > 0 && ctx.log.info({ sessions: n }, "swept idle or expired sessions"),
      (err: unknown) => ctx.log.warn({ err }, "session sweep failed"),
    );
  }, config.SESSION_SWEEP_INTERVAL * 1000);
  sweepTimer.unref();

  // The SessionStore mirror can be lost (Redis restarted without its data): look for that
  // often, and refill it from the database, so live sessions work again within a second.
  let restoring: Promise<unknown> | undefined;
  const restoreTimer = setInterval(() => {
    restoring ??= service
      .restoreMirror()
      .then(
        (n) => n !== null && ctx.log.info({ sessions: n }, "session mirror restored from the database"),
        (err: unknown) => ctx.log.warn({ err: String(err) }, "session mirror check failed"),
      )
      .finally(() => (restoring = undefined));
  }, config.SESSION_MIRROR_CHECK_INTERVAL);
  restoreTimer.unref();

  return {
    name: "auth",
    router,
    async close() {
      clearInterval(sweepTimer);
      clearInterval(restoreTimer);
      await sweeping;
      await restoring;
    },
  };
}
