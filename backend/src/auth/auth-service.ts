import { createHash, randomBytes } from "node:crypto";
import type pino from "pino";
import type { Database } from "@arena/db";
import { AppError, normalizeName, type SessionStore } from "@arena/shared";
import { resolveSkinId } from "@arena/shared/progression/skins";
import { signIdentityToken } from "@arena/shared/tokens/identity-token";
import type { AuditEvent, AuditLog } from "../backend-context.ts";
import type { BackendConfig } from "../config.ts";
import type { IdentityKeyStore } from "../keys/identity-key-store.ts";
import type { LoginThrottle } from "./login-throttle.ts";
import type { PasswordHasher } from "./password-hasher.ts";
import { createSessionRepository, sessionLiveUntil, type SessionRow } from "./session-repository.ts";
import { createUserRepository, UsernameTakenError, type UserRecord } from "./user-repository.ts";

export interface AuthServiceDeps {
  config: BackendConfig;
  db: Database;
  sessions: SessionStore;
  keys: IdentityKeyStore;
  hasher: PasswordHasher;
  /** Failed-login throttling per (username, IP), IP and username. */
  throttle: LoginThrottle;
  now: () => number;
  log: pino.Logger;
  audit?: AuditLog;
}

/** A user as clients see it. */
export interface PublicUser {
  /** Decimal user id (the JWT `sub`). */
  id: string;
  username: string;
  role: "player" | "admin";
}

/** What login and refresh hand out. */
export interface IssuedSession {
  user: PublicUser;
  /** Identity JWT (ES256). */
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  /** Opaque one-time refresh token (only its SHA-256 is stored). */
  refreshToken: string;
  sessionId: string;
  /** Absolute end of the session. */
  sessionExpiresAt: Date;
}

/** A live session with a fresh access token (current_user, heartbeat). */
export interface TouchedSession {
  user: PublicUser;
  accessToken: string;
  expiresIn: number;
  sessionId: string;
  sessionExpiresAt: Date;
  /** When the session dies without another heartbeat. */
  idleExpiresAt: Date;
}

/** current_user on the refresh cookie: the touched session, and the cookie's successor when it was rotated. */
export interface ResumedSession extends TouchedSession {
  /** The new refresh token (set it as the cookie), or undefined when the cookie was a just-replaced one still in its grace window. */
  refreshToken?: string;
}

/** The user fields a token needs. */
type SessionUser = Pick<UserRecord, "id" | "username" | "role" | "skin">;

const newSecret = () => randomBytes(32).toString("base64url"); // 256 bits
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Accounts and sessions: what the auth routes and the session sweepers call. */
export interface AuthService {
  /** Creates a player account; `username` must already be normalised (the request schema's `nameSchema` does it). */
  register(username: string, password: string, ip?: string): Promise<PublicUser>;
  /** Checks a password under the login throttle (per username and IP) and opens a session. */
  login(rawUsername: string, password: string, ip?: string): Promise<IssuedSession>;
  /** Rotates a refresh token (POST /auth/refresh: strict, no grace). A token presented twice revokes its whole session. */
  refresh(refreshToken: string, ip?: string): Promise<IssuedSession>;
  /**
   * GET /current_user on the refresh cookie: rotates the cookie like a refresh. A cookie
   * replaced less than REFRESH_COOKIE_GRACE ago (concurrent tabs or requests) still answers
   * an access JWT but mints no further refresh token; later it is reuse and revokes.
   */
  resumeByCookie(refreshToken: string, ip?: string): Promise<ResumedSession>;
  /** The session of a refresh token on the cookie routes (heartbeat, logout), without rotating it; grace as resumeByCookie. */
  sessionOfRefreshToken(refreshToken: string, ip?: string): Promise<string>;
  /** Heartbeat / current_user by Bearer: proves the session alive, extends its idle expiry, issues a fresh JWT. */
  touchSession(sid: string): Promise<TouchedSession>;
  /** Ends a session everywhere (DB rows, refresh tokens, SessionStore). Idempotent. */
  logout(sid: string, ip?: string): Promise<void>;
  /**
   * Refills the SessionStore from the database when it lost its mirror (Redis restarted
   * empty, keys deleted): every live row is put back unless it exists or was just ended
   * (the store's tombstones keep a concurrent logout from being undone). Returns how many
   * sessions were restored, or null when the mirror was intact.
   */
  restoreMirror(): Promise<number | null>;
  /** Deletes expired and idle sessions (DB and SessionStore), at most `limit` (default 1000); returns how many. */
  sweep(limit?: number): Promise<number>;
}

/**
 * Registration, login with lockout, sessions (DB + SessionStore mirror), refresh-token
 * rotation with reuse detection (RFC 9700 §4.14.2), logout, heartbeat and the idle sweep.
 */
export function createAuthService(deps: AuthServiceDeps): AuthService {
  const { config, sessions, keys, hasher, now, log } = deps;
  const users = createUserRepository(deps.db);
  const rows = createSessionRepository(deps.db);
  // Development convenience only (loadBackendConfig refuses it in production): promotes an
  // existing account at login. Roles otherwise come from the database (`npm run admin`).
  const devAdmins = new Set(config.ADMIN_USERNAMES.map((name) => normalizeName(name)).flatMap((c) => (c.ok ? [c.name] : [])));
  const heartbeatMs = config.HEARTBEAT_TIMEOUT * 1000;
  const touchIntervalMs = Math.min(60_000, heartbeatMs / 10);
  const cookieGraceMs = config.REFRESH_COOKIE_GRACE * 1000;

  const audit = (event: AuditEvent) => {
    deps.audit?.record(event).catch((err: unknown) => log.warn({ err }, "audit record failed"));
  };
  const publicUser = (user: SessionUser): PublicUser => ({ id: String(user.id), username: user.username, role: user.role });
  const liveUntil = (s: SessionRow) => sessionLiveUntil(s, heartbeatMs);
  const accessToken = (user: SessionUser, sid: string) =>
    signIdentityToken({ sub: String(user.id), nick: user.username, sid, role: user.role, skin: user.skin }, keys.signing, {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlSeconds: config.ACCESS_TOKEN_TTL,
      now: Math.floor(now() / 1000),
    });

  async function endSession(sid: string): Promise<void> {
    await rows.delete(sid);
    await sessions.delete(sid);
  }

  /** The session and its user if both are still good; otherwise ends the session and throws. */
  async function liveSession(sid: string): Promise<{ session: SessionRow; user: SessionUser }> {
    const found = await rows.findWithUser(sid);
    if (!found || liveUntil(found) <= now()) {
      if (found) await endSession(sid);
      else await sessions.delete(sid);
      throw new AppError("SESSION_EXPIRED");
    }
    const { user, ...session } = found;
    if (user.status === "banned") {
      await endSession(sid);
      throw new AppError("ACCOUNT_BANNED");
    }
    return { session, user: { id: user.id, username: user.username, role: user.role === "admin" ? "admin" : "player", skin: resolveSkinId(user.equippedSkin) } };
  }

  /**
   * Records activity: DB last-seen and the SessionStore mirror's expiry. Writes at most
   * once per TOUCH_INTERVAL per session (a tenth of HEARTBEAT_TIMEOUT, at most 60 s), so a
   * busy /current_user costs reads only; the idle window is at most that much shorter.
   */
  async function touch(session: SessionRow): Promise<SessionRow> {
    const at = now();
    if (at - session.lastSeenAt.getTime() < touchIntervalMs) return session;
    const touched = { ...session, lastSeenAt: new Date(at) };
    if (!(await rows.touch(session.id, touched.lastSeenAt))) throw new AppError("SESSION_EXPIRED");
    await mirror(touched);
    return touched;
  }

  /**
   * Puts the session in the SessionStore, then makes sure its row still exists: a logout or
   * ban that deleted it meanwhile must not leave a live mirror entry behind.
   */
  async function mirror(session: SessionRow): Promise<void> {
    await sessions.put(session.id, { userId: String(session.userId), expiresAt: liveUntil(session) });
    if (!(await rows.find(session.id))) {
      await sessions.delete(session.id);
      throw new AppError("SESSION_EXPIRED");
    }
  }

  /** Throws the right error for a refresh token that cannot be used: reuse revokes its session. */
  async function rejectUnclaimable(hash: string, ip?: string): Promise<never> {
    const found = await rows.findRefreshToken(hash);
    if (!found) throw new AppError("INVALID_REFRESH_TOKEN");
    const session = await rows.find(found.sessionId);
    await endSession(found.sessionId);
    audit({ event: "auth.refresh_reuse", userId: session?.userId ?? null, ip });
    log.warn({ userId: session?.userId }, "refresh token reuse: session revoked");
    throw new AppError("REFRESH_TOKEN_REUSED");
  }

  /** Spends a refresh token (one caller only) and adds its successor; null when it cannot be claimed. */
  async function rotate(hash: string): Promise<{ session: SessionRow; user: SessionUser; next: string } | null> {
    if (!(await rows.claimRefreshToken(hash, new Date(now())))) return null;
    const found = await rows.findRefreshToken(hash);
    if (!found) throw new AppError("INVALID_REFRESH_TOKEN"); // session ended concurrently
    const { session, user } = await liveSession(found.sessionId);
    const next = newSecret();
    if (!(await rows.addRefreshToken(session.id, sha256(next), new Date(now())))) throw new AppError("SESSION_EXPIRED");
    return { session: await touch(session), user, next };
  }

  /**
   * The session of a refresh token presented on a cookie route: a current token, or one
   * replaced less than REFRESH_COOKIE_GRACE ago (another tab's /current_user rotated the
   * cookie while this request was in flight). An older spent token is reuse: revokes.
   */
  async function cookieSession(hash: string, ip?: string): Promise<string> {
    const found = await rows.findRefreshToken(hash);
    if (!found) throw new AppError("INVALID_REFRESH_TOKEN");
    if (found.usedAt && found.usedAt.getTime() + cookieGraceMs <= now()) await rejectUnclaimable(hash, ip);
    return found.sessionId;
  }

  function touched(session: SessionRow, user: SessionUser): TouchedSession {
    return {
      user: publicUser(user),
      accessToken: accessToken(user, session.id),
      expiresIn: config.ACCESS_TOKEN_TTL,
      sessionId: session.id,
      sessionExpiresAt: session.expiresAt,
      idleExpiresAt: new Date(liveUntil(session)),
    };
  }

  async function touchSession(sid: string): Promise<TouchedSession> {
    const { session, user } = await liveSession(sid);
    return touched(await touch(session), user);
  }

  return {
    async register(username: string, password: string, ip?: string): Promise<PublicUser> {
      if (await users.findByUsername(username)) throw new AppError("USERNAME_TAKEN");
      const passwordHash = await hasher.hash(password);
      try {
        const user = await users.create({ username, passwordHash, role: "player", at: new Date(now()) });
        audit({ event: "auth.register", userId: user.id, ip });
        return publicUser(user);
      } catch (err) {
        if (err instanceof UsernameTakenError) throw new AppError("USERNAME_TAKEN");
        throw err;
      }
    },

    async login(rawUsername: string, password: string, ip?: string): Promise<IssuedSession> {
      // Throttled by what was typed, before the user is even looked up: an unknown username is
      // counted, locked and answered exactly like a known one (and costs the same argon2 time).
      const attempt = await deps.throttle.reserve(rawUsername, ip ?? "unknown");
      const name = normalizeName(rawUsername);
      const user = name.ok ? await users.findByUsername(name.name) : null;
      const passwordOk = user ? await hasher.verify(user.passwordHash, password) : await hasher.verifyDummy(password);
      if (!user || !passwordOk) {
        const failure = attempt.failure();
        audit({ event: "auth.login_failed", userId: user?.id ?? null, ip, data: { failures: attempt.failures, ...(user ? {} : { reason: "unknown_user" }) } });
        if (failure.code === "ACCOUNT_LOCKED") audit({ event: "auth.locked", userId: user?.id ?? null, ip, data: { failures: attempt.failures, seconds: failure.retryAfter } });
        throw failure;
      }
      await attempt.succeeded();
      const promote = config.NODE_ENV !== "production" && devAdmins.has(user.username) && user.role !== "admin";
      if (promote) {
        await users.promote(user.id);
        user.role = "admin";
      }
      if (user.status === "banned") throw new AppError("ACCOUNT_BANNED");

      const at = now();
      const session: SessionRow = { id: newSecret(), userId: user.id, expiresAt: new Date(at + config.SESSION_TTL * 1000), lastSeenAt: new Date(at) };
      const refreshToken = newSecret();
      await rows.create(session, sha256(refreshToken));
      await mirror(session);
      audit({ event: "auth.login", userId: user.id, ip });
      return { user: publicUser(user), accessToken: accessToken(user, session.id), expiresIn: config.ACCESS_TOKEN_TTL, refreshToken, sessionId: session.id, sessionExpiresAt: session.expiresAt };
    },

    async refresh(refreshToken: string, ip?: string): Promise<IssuedSession> {
      const hash = sha256(refreshToken);
      const { session, user, next } = (await rotate(hash)) ?? (await rejectUnclaimable(hash, ip));
      return { user: publicUser(user), accessToken: accessToken(user, session.id), expiresIn: config.ACCESS_TOKEN_TTL, refreshToken: next, sessionId: session.id, sessionExpiresAt: session.expiresAt };
    },

    async resumeByCookie(refreshToken: string, ip?: string): Promise<ResumedSession> {
      const hash = sha256(refreshToken);
      const rotated = await rotate(hash);
      if (rotated) return { ...touched(rotated.session, rotated.user), refreshToken: rotated.next };
      return touchSession(await cookieSession(hash, ip));
    },

    async sessionOfRefreshToken(refreshToken: string, ip?: string): Promise<string> {
      return cookieSession(sha256(refreshToken), ip);
    },

    touchSession,

    async logout(sid: string, ip?: string): Promise<void> {
      const session = await rows.find(sid);
      await endSession(sid);
      if (session) audit({ event: "auth.logout", userId: session.userId, ip });
    },

    async restoreMirror(): Promise<number | null> {
      if (!(await sessions.claimRestore())) return null;
      const at = now();
      const live = await rows.findLive(new Date(at), new Date(at - heartbeatMs));
      await sessions.restore(live.map((s) => ({ sid: s.id, record: { userId: String(s.userId), expiresAt: liveUntil(s) } })));
      return live.length;
    },

    async sweep(limit = 1000): Promise<number> {
      const at = now();
      const ids = await rows.deleteStale(new Date(at), new Date(at - heartbeatMs), limit);
      await Promise.all(ids.map((id) => sessions.delete(id)));
      return ids.length;
    },
  };
}
