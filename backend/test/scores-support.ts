import { generateKeyPairSync, randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import jwt from "jsonwebtoken";
import WebSocket from "ws";
import { startTestBackend, type TestBackend } from "./support/test-backend.ts";

/** Unique Redis key prefix per test backend (shared Redis; never FLUSHALL). */
export const redisEnv = (): Record<string, string> =>
  process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: `test:${randomUUID().slice(0, 8)}:` } : {};

/** A game-server service key pair; `sign()` makes a contract-conform service JWT. */
export function serviceKeys() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const publicPem = publicKey.export({ type: "spki", format: "pem" }) as string;
  const sign = (overrides: Record<string, unknown> = {}, options: { kid?: string; ttl?: number } = {}) => {
    const iat = Math.floor(Date.now() / 1000);
    return jwt.sign(
      { sub: "game-server", typ: "service", iss: "arena-game-server", aud: "arena-backend", iat, exp: iat + (options.ttl ?? 60), ...overrides },
      privateKey,
      { algorithm: "ES256", keyid: options.kid ?? "game-server" },
    );
  };
  return { publicPem, sign };
}

/** Starts a test backend with the scores component's knobs. */
export async function startScoresBackend(env: Record<string, string> = {}, now?: () => number): Promise<TestBackend> {
  const redis = redisEnv();
  const backend = await startTestBackend({ env: { ...redis, ...env }, now });
  const close = backend.close;
  backend.close = async () => {
    await close();
    if (!redis.REDIS_URL) return;
    const client = new Redis(redis.REDIS_URL);
    const keys = await client.keys(`${redis.REDIS_KEY_PREFIX}*`);
    if (keys.length) await client.del(...keys);
    client.disconnect();
  };
  return backend;
}

let seq = 0;
/** Registers and logs in a fresh user; returns its id and access token. */
export async function newPlayer(backend: TestBackend, name = "p"): Promise<{ id: string; token: string; username: string }> {
  const username = `${name}${Date.now().toString(36).slice(-4)}${seq++}`;
  const { body } = await backend.login(username);
  return { id: String(body.user.id), token: body.access_token, username };
}

/** POST /api/scores. */
export function postScore(backend: TestBackend, token: string | undefined, body: Record<string, unknown>) {
  return backend.api("POST", "/api/scores", { token, body });
}

export const action = (points: number, type = "action_complete") => ({ action_id: randomUUID(), action_type: type, points });

/** A scoreboard WebSocket that records every message it receives. */
export async function openSocket(url: string, headers: Record<string, string> = {}, options: { localAddress?: string } = {}) {
  const ws = new WebSocket(url.replace(/^http/, "ws") + "/ws/scoreboard", { headers, ...options });
  const messages: { type: string; data: any }[] = [];
  const waiters: { pred: (m: { type: string; data: any }) => boolean; resolve: (m: { type: string; data: any }) => void }[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on("message", (raw) => {
    const msg = JSON.parse(raw.toString());
    messages.push(msg);
    for (const w of waiters.splice(0)) (w.pred(msg) ? w.resolve(msg) : waiters.push(w));
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return {
    ws,
    messages,
    closed,
    send: (msg: unknown) => ws.send(JSON.stringify(msg)),
    /** The first message (already received or future) matching `pred`. */
    next(pred: (m: { type: string; data: any }) => boolean, timeoutMs = 10_000): Promise<{ type: string; data: any }> {
      const seen = messages.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no matching message")), timeoutMs);
        waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
    close: () => ws.close(),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `fn` until it returns a truthy value (audit rows are written in batches). */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > until) throw new Error("condition not met in time");
    await sleep(50);
  }
}
