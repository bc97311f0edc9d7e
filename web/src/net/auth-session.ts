import { PlayerError } from "../error-text.ts";
import { readJwtClaims } from "../jwt-claims.ts";
import { requestJson } from "./http-client.ts";

/** Who is playing. */
export type Player =
  | { kind: "anonymous" }
  | { kind: "user"; userId: string; username: string }
  | { kind: "guest"; nickname: string };

/** The backend's public user. */
interface PublicUser {
  id: string;
  username: string;
}

/** The daily login bonus a login, refresh or /current_user answer granted (null: none this time). */
export interface DailyBonus {
  granted: number;
  streak: number;
  day: string;
}

/**
 * POST /auth/login answer. Its body also carries `refresh_token` (for API clients); this class
 * never reads or keeps it: the browser's copy is the HttpOnly `arena_refresh` cookie.
 */
interface SessionAnswer {
  user: PublicUser;
  access_token: string;
  daily_bonus?: DailyBonus | null;
}

/** GET /current_user answer. */
interface CurrentUserAnswer {
  logged_in: boolean;
  user: PublicUser | null;
  jwt: string | null;
  daily_bonus?: DailyBonus | null;
}

/** Ask for a fresh access JWT this long before the current one expires. */
const REFRESH_MARGIN_S = 30;
const GUEST_KEY = "arena.guest";

/**
 * The player's session. The access JWT lives in memory only. The refresh token is not kept
 * by script (the login answer's body does contain it, for API clients, but this class drops
 * it): the browser holds it in the HttpOnly, SameSite=Strict `arena_refresh` cookie, and a
 * fresh access JWT comes from `GET /current_user` on that cookie, which rotates the cookie
 * each time. Tabs racing with the same cookie are fine: the backend still accepts a
 * just-replaced cookie for a short grace window (REFRESH_COOKIE_GRACE) without minting
 * another. Heartbeats keep the session alive while the page is open.
 */
export class AuthSession {
  #player: Player = { kind: "anonymous" };
  #access: string | null = null;
  #refreshing: Promise<void> | null = null;
  #heartbeat: ReturnType<typeof setInterval> | null = null;
  readonly #listeners = new Set<(player: Player) => void>();
  readonly #bonusListeners = new Set<(bonus: DailyBonus) => void>();

  constructor(
    private readonly backendUrl: string,
    private readonly heartbeatSeconds: number,
    private readonly storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> = sessionStorage,
  ) {}

  get player(): Player {
    return this.#player;
  }

  /** Calls `listener` whenever the player changes. Returns an unsubscribe function. */
  onChange(listener: (player: Player) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls `listener` when a sign-in answer says the daily bonus was granted. Returns an unsubscribe function. */
  onDailyBonus(listener: (bonus: DailyBonus) => void): () => void {
    this.#bonusListeners.add(listener);
    return () => this.#bonusListeners.delete(listener);
  }

  /** The equipped skin id from the access JWT's claim (undefined: the default, or not logged in). */
  get skin(): string | undefined {
    return this.#access ? readJwtClaims(this.#access).skin : undefined;
  }

  /** A fresh access JWT the backend handed out (e.g. after equipping a skin, with the new claim). */
  adoptAccessToken(token: string): void {
    if (this.#player.kind !== "user") return;
    this.#access = token;
    this.#set(this.#player);
  }

  /** On page load: resumes a logged-in session from the cookie, else a guest nickname of this tab. */
  async restore(): Promise<void> {
    await this.#refresh().catch(() => {});
    if (this.#player.kind !== "user") {
      const guest = this.storage.getItem(GUEST_KEY);
      if (guest) this.#set({ kind: "guest", nickname: guest });
    }
  }

  async register(username: string, password: string): Promise<void> {
    await requestJson(this.#url("/auth/register"), { body: { username, password } });
    await this.login(username, password);
  }

  async login(username: string, password: string): Promise<void> {
    const answer = await requestJson<SessionAnswer>(this.#url("/auth/login"), { body: { username, password } });
    this.#accept(answer.access_token, answer.user);
    this.#announceBonus(answer.daily_bonus);
  }

  /** Plays as a guest under `nickname` (the game server checks it when joining). */
  playAsGuest(nickname: string): void {
    if (this.#player.kind === "user") return;
    this.storage.setItem(GUEST_KEY, nickname);
    this.#set({ kind: "guest", nickname });
  }

  async logout(): Promise<void> {
    const token = this.#access;
    this.#clear();
    await requestJson(this.#url("/auth/logout"), { body: {}, token: token ?? undefined }).catch(() => {});
  }

  /** A valid access JWT (fetched anew when about to expire); null when not logged in. */
  async accessToken(): Promise<string | null> {
    if (this.#player.kind !== "user") return null;
    const exp = this.#access ? readJwtClaims(this.#access).exp : undefined;
    if (!this.#access || (exp !== undefined && exp - REFRESH_MARGIN_S <= Date.now() / 1000)) await this.#refresh();
    return this.#access;
  }

  /** Runs `call` with the access token; on UNAUTHORIZED fetches a fresh one once and retries. */
  async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken();
    if (!token) throw new PlayerError("UNAUTHORIZED");
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof PlayerError) || error.code !== "UNAUTHORIZED") throw error;
      await this.#refresh();
      if (!this.#access) throw error;
      return call(this.#access);
    }
  }

  /** GET /current_user on the refresh cookie (no Bearer: an expired JWT must not be the credential). */
  #refresh(): Promise<void> {
    this.#refreshing ??= requestJson<CurrentUserAnswer>(this.#url("/current_user"))
      .then((answer) => {
        if (answer.logged_in && answer.jwt && answer.user) {
          this.#accept(answer.jwt, answer.user);
          this.#announceBonus(answer.daily_bonus);
        }
        else if (this.#player.kind === "user") this.#clear();
      })
      .finally(() => {
        this.#refreshing = null;
      });
    return this.#refreshing;
  }

  #accept(access: string, user: PublicUser): void {
    this.#access = access;
    this.storage.removeItem(GUEST_KEY);
    const current = this.#player;
    if (current.kind !== "user" || current.userId !== user.id || current.username !== user.username) {
      this.#set({ kind: "user", userId: String(user.id), username: user.username });
    }
    this.#heartbeat ??= setInterval(() => {
      void requestJson(this.#url("/auth/heartbeat"), { body: {} }).catch((error: unknown) => {
        if (error instanceof PlayerError && (error.code === "UNAUTHORIZED" || error.code === "SESSION_EXPIRED")) this.#clear();
      });
    }, this.heartbeatSeconds * 1000);
  }

  #announceBonus(bonus: DailyBonus | null | undefined): void {
    if (!bonus || bonus.granted <= 0) return;
    for (const listener of this.#bonusListeners) listener(bonus);
  }

  #clear(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
    this.#access = null;
    this.storage.removeItem(GUEST_KEY);
    this.#set({ kind: "anonymous" });
  }

  #set(player: Player): void {
    this.#player = player;
    for (const listener of this.#listeners) listener(player);
  }

  #url(path: string): string {
    return `${this.backendUrl}${path}`;
  }
}
