import { AppError, normalizeName } from "@arena/shared";
import { LoginAttemptName } from "@arena/shared/contracts/redis-keys";
import { addFailure, keepForMs, lockedFor, refund, type AttemptRecord, type ThrottlePolicy } from "@arena/shared/rules/login-throttle";
import type { BackendConfig } from "../config.ts";
import type { LoginAttemptStore } from "./login-attempt-store.ts";

/** The three scopes failed logins are counted in. */
export interface LoginThrottlePolicies {
  /** One username from one client IP: the tight one (a few guesses, then doubling locks). */
  pair: ThrottlePolicy;
  /** One client IP over every username (password spraying). */
  ip: ThrottlePolicy;
  /** One username over every IP: a much higher ceiling, so an attacker on a few addresses cannot lock its owner out. */
  account: ThrottlePolicy;
}

/** A login attempt counted in every scope before its password is checked. */
export interface Reservation {
  /** Failures of this username from this IP, this attempt included. */
  failures: number;
  /** What a wrong password answers now: INVALID_CREDENTIALS, or the lock this very failure set. */
  failure(): AppError;
  /** The password was right: forgets this username's failures and gives the IP its attempt back. */
  succeeded(): Promise<void>;
}

const MAX_SWAPS = 20;

/** The policies from config: LOGIN_LOCK_* for the (username, IP) pair, LOGIN_IP_THRESHOLD and LOGIN_ACCOUNT_THRESHOLD for the wider scopes. */
export function throttlePolicies(config: BackendConfig): LoginThrottlePolicies {
  const lock = { baseMs: config.LOGIN_LOCK_BASE * 1000, maxMs: config.LOGIN_LOCK_MAX * 1000, windowMs: config.LOGIN_FAILURE_WINDOW * 1000 };
  return {
    pair: { ...lock, threshold: config.LOGIN_LOCK_THRESHOLD },
    ip: { ...lock, threshold: config.LOGIN_IP_THRESHOLD },
    account: { ...lock, threshold: config.LOGIN_ACCOUNT_THRESHOLD },
  };
}

/**
 * Login throttling keyed by what the client typed, never by whether the account exists: an
 * unknown username is counted, locked and answered exactly like a known one. A wrong guess
 * locks the (username, IP) pair after LOGIN_LOCK_THRESHOLD failures, so the owner on another
 * address still logs in; an IP failing over many usernames, and a username failing from many
 * IPs (a much higher ceiling), are locked too.
 */
export function createLoginThrottle(deps: { store: LoginAttemptStore; policies: LoginThrottlePolicies; now: () => number }) {
  const { store, policies, now } = deps;

  /** Applies `change` to the record under `key` by compare-and-swap, retrying when a concurrent login changed it first. */
  async function update<T>(key: string, policy: ThrottlePolicy, change: (current: AttemptRecord | null, at: number) => { next: AttemptRecord | null; result: T }): Promise<T> {
    for (let attempt = 0; attempt < MAX_SWAPS; attempt++) {
      const current = await store.get(key);
      const at = now();
      const { next, result } = change(current, at);
      if (next === current) return result;
      if (await store.swap(key, current, next, next ? keepForMs(next, policy, at) : 1)) return result;
    }
    throw new AppError("SERVICE_UNAVAILABLE", "Too many concurrent logins; try again.");
  }

  /** Counts one failure unless the scope is locked; answers the new record, or how long it stays locked. */
  const reserveIn = (key: string, policy: ThrottlePolicy) =>
    update(key, policy, (current, at): { next: AttemptRecord | null; result: { record?: AttemptRecord; lockedMs: number } } => {
      const lockedMs = lockedFor(current, at);
      if (lockedMs > 0) return { next: current, result: { lockedMs } };
      const next = addFailure(current, policy, at);
      return { next, result: { record: next, lockedMs: 0 } };
    });
  const giveBack = (key: string, policy: ThrottlePolicy) => update(key, policy, (current) => ({ next: refund(current), result: undefined }));
  const forget = (key: string, policy: ThrottlePolicy) => update(key, policy, () => ({ next: null, result: undefined }));
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

  return {
    /**
     * Reserves one attempt in every scope before argon2 runs, so a parallel burst gets no more
     * guesses than an open scope allows. Throws RATE_LIMIT_EXCEEDED (this IP is locked) or
     * ACCOUNT_LOCKED (this username is locked for this IP, or everywhere), with retry_after.
     */
    async reserve(rawUsername: string, ip: string): Promise<Reservation> {
      const name = scopeName(rawUsername);
      const keys = { ip: LoginAttemptName.ip(ip), account: LoginAttemptName.account(name), pair: LoginAttemptName.pair(name, ip) };
      const ipScope = await reserveIn(keys.ip, policies.ip);
      if (!ipScope.record) throw new AppError("RATE_LIMIT_EXCEEDED", "Too many failed logins from this address; try again later.", seconds(ipScope.lockedMs));
      const accountScope = await reserveIn(keys.account, policies.account);
      const pairScope = accountScope.record ? await reserveIn(keys.pair, policies.pair) : undefined;
      if (!accountScope.record || !pairScope?.record) {
        await giveBack(keys.ip, policies.ip);
        if (accountScope.record) await giveBack(keys.account, policies.account);
        throw new AppError("ACCOUNT_LOCKED", undefined, seconds(Math.max(accountScope.lockedMs, pairScope?.lockedMs ?? 0)));
      }
      const at = now();
      const [pair, account, fromIp] = [pairScope.record, accountScope.record, ipScope.record];
      return {
        failures: pair.failures,
        failure() {
          const usernameLock = Math.max(lockedFor(pair, at), lockedFor(account, at));
          if (usernameLock > 0) return new AppError("ACCOUNT_LOCKED", undefined, seconds(usernameLock));
          if (lockedFor(fromIp, at) > 0) return new AppError("RATE_LIMIT_EXCEEDED", "Too many failed logins from this address; try again later.", seconds(lockedFor(fromIp, at)));
          return new AppError("INVALID_CREDENTIALS");
        },
        async succeeded() {
          await Promise.all([forget(keys.pair, policies.pair), forget(keys.account, policies.account), giveBack(keys.ip, policies.ip)]);
        },
      };
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

/** The name a login is counted under: the normalised username, or a canonical form of what was typed when it cannot be one. */
function scopeName(raw: string): string {
  const name = normalizeName(raw);
  return name.ok ? name.name : `~${raw.normalize("NFKC").trim().toLowerCase()}`;
}
