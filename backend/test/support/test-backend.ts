import { generateKeyPairSync, randomUUID } from "node:crypto";
import type { Database } from "@arena/db";
import { openTestDatabase } from "@arena/db/test-database";
import { MemorySessionStore, type SessionStore } from "@arena/shared";
import { RedisSessionStore } from "@arena/shared/session/redis-session-store";
import { loadBackendConfig, type BackendConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { startBackend, type RunningBackend } from "../../src/start-backend.ts";

/** A fresh P-256 private key, PKCS#8 PEM. */
export function newSigningPem(): string {
  return generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
}

/** The storage mode the suite runs in (set by DATABASE_URL / REDIS_URL). */
export const storageMode = `${process.env.DATABASE_URL ? "postgres" : "pglite"} + ${process.env.REDIS_URL ? "redis" : "memory"} sessions`;

/** A SessionStore for one test backend: Redis (unique prefix) when REDIS_URL is set, else in memory. */
export function newSessionStore(now?: () => number): SessionStore {
  return process.env.REDIS_URL ? new RedisSessionStore(process.env.REDIS_URL, `test:${randomUUID()}:session:`, now) : new MemorySessionStore(now);
}

export interface ApiResponse {
  status: number;
  body: any;
  headers: Headers;
}

export interface TestBackend {
  url: string;
  config: BackendConfig;
  db: Database;
  sessions: SessionStore;
  running: RunningBackend;
  /** fetch against the backend; `body` objects are sent as JSON, strings as-is. */
  api(method: string, path: string, options?: { body?: unknown; token?: string; cookie?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
  /** Registers (if needed) and logs in; returns the login body and the cookie header value. */
  login(username: string, password?: string): Promise<{ body: any; cookie: string }>;
  close(): Promise<void>;
}

/**
 * A real backend in-process on 127.0.0.1:0 over a fresh database (PostgreSQL when
 * DATABASE_URL is set, in-memory PGlite otherwise) and a SessionStore (Redis when REDIS_URL
 * is set). `env` overrides config keys. A given `db` / `sessions` is shared, not closed.
 */
export async function startTestBackend(
  options: { env?: Record<string, string>; now?: () => number; sessions?: SessionStore; db?: Database } = {},
): Promise<TestBackend> {
  const config = loadBackendConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", NODE_ENV: "test", IDENTITY_SIGNING_KEY: newSigningPem(), AUTH_RATE_LIMIT: "100000", ...options.env });
  const db = options.db ?? (await openTestDatabase());
  const sessions = options.sessions ?? newSessionStore(options.now);
  const running = await startBackend(config, { db, sessions, log: createLogger(config), now: options.now });
  const url = running.url;

  async function api(method: string, path: string, opts: { body?: unknown; token?: string; cookie?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.cookie) headers.cookie = opts.cookie;
    const res = await fetch(url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  async function login(username: string, password = "correct horse battery") {
    const reg = await api("POST", "/auth/register", { body: { username, password } });
    if (reg.status !== 201 && reg.status !== 409) throw new Error(`register failed: ${JSON.stringify(reg.body)}`);
    const res = await api("POST", "/auth/login", { body: { username, password } });
    if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
    const setCookie = res.headers.get("set-cookie") ?? "";
    return { body: res.body, cookie: setCookie.split(";")[0] };
  }

  return {
    url,
    config,
    db,
    sessions,
    running,
    api,
    login,
    async close() {
      await running.close();
      if (!options.sessions) await sessions.close();
      if (!options.db) await db.close();
    },
  };
}
