import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "@arena/db";
import { openTestDatabase } from "@arena/db/test-database";
import { ScoreboardMessage } from "@arena/shared";
import { Redis } from "ioredis";
import { newSigningPem } from "./support/test-backend.ts";
import { action, openSocket, serviceKeys } from "./scores-support.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Starts `node --import tsx backend/src/main.ts` and resolves with its URL once it listens. */
function startProcess(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "backend/src/main.ts"], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`backend did not start: ${out}`)), 20_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.includes("backend listening"));
      if (line) {
        clearTimeout(timer);
        resolve({ child, url: JSON.parse(line).url });
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`backend exited ${code}: ${out}`)));
  });
}

async function api(url: string, method: string, p: string, body?: unknown, token?: string) {
  const res = await fetch(url + p, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("live scoreboard across two backend processes (PostgreSQL + Redis)", function () {
  this.timeout(60_000);
  let db: Database & { url?: string };
  const procs: ChildProcess[] = [];
  let a: string;
  let b: string;
  const prefix = `test:xp:${randomUUID().slice(0, 8)}:`;
  const keys = serviceKeys();

  before(async function () {
    // Two processes need one shared database and Redis: PGlite cannot be opened by two processes.
    if (!process.env.REDIS_URL || !process.env.DATABASE_URL) this.skip();
    db = await openTestDatabase();
    const env = {
      DATABASE_URL: db.url!,
      REDIS_URL: process.env.REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      IDENTITY_SIGNING_KEY: newSigningPem(),
      SERVICE_PUBLIC_KEY: keys.publicPem,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      NODE_ENV: "test",
    };
    const [pa, pb] = await Promise.all([startProcess(env), startProcess(env)]);
    procs.push(pa.child, pb.child);
    a = pa.url;
    b = pb.url;
  });

  after(async () => {
    await Promise.all(
      procs.map((child) => new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      })),
    );
    if (process.env.REDIS_URL) {
      const redis = new Redis(process.env.REDIS_URL);
      const found = await redis.keys(`${prefix}*`);
      if (found.length) await redis.del(...found);
      redis.disconnect();
    }
    await db?.close();
  });

  it("delivers a score committed on process A to watchers and the scorer on process B", async () => {
    const username = `xp${Date.now().toString(36).slice(-6)}`;
    assert.equal((await api(a, "POST", "/auth/register", { username, password: "correct horse battery" })).status, 201);
    const login = await api(a, "POST", "/auth/login", { username, password: "correct horse battery" });
    const token = login.body.access_token as string;
    const userId = String(login.body.user.id);

    const before = await api(b, "GET", "/api/scoreboard");
    assert.equal(before.body.total_players, 0, "B has cached an empty board");
    const guestOnB = await openSocket(b);
    const selfOnB = await openSocket(b, { authorization: `Bearer ${token}` });
    await guestOnB.next((m) => m.type === ScoreboardMessage.Snapshot);
    await selfOnB.next((m) => m.type === ScoreboardMessage.Snapshot);

    const posted = await api(a, "POST", "/api/scores", action(64), token);
    assert.equal(posted.status, 200);
    const update = await guestOnB.next((m) => m.type === ScoreboardMessage.LeaderboardUpdate);
    assert.deepEqual(update.data.leaderboard.map((e: any) => [e.user_id, e.score]), [[userId, 64]]);
    assert.deepEqual(update.data.changed_ranks, [1]);
    const mine = await selfOnB.next((m) => m.type === ScoreboardMessage.ScoreUpdate);
    assert.deepEqual(mine.data, { new_score: 64, rank: 1, points_gained: 64, board: "general" });
    const after = await api(b, "GET", "/api/scoreboard");
    assert.deepEqual(after.body.leaderboard.map((e: any) => e.score), [64], "B's cached top 10 was refreshed");
    assert.equal(after.body.total_players, 1);

    const classicOnA = await openSocket(a);
    classicOnA.send({ type: ScoreboardMessage.Subscribe, board: "classic", period: "all" });
    await classicOnA.next((m) => m.type === ScoreboardMessage.Snapshot);
    const game = await api(b, "POST", "/internal/game-results", {
      result_id: randomUUID(), user_id: userId, mode: "classic", score: 31, points: 31,
      started_at: new Date(Date.now() - 30_000).toISOString(), ended_at: new Date().toISOString(),
    }, keys.sign());
    assert.equal(game.status, 200);
    const live = await classicOnA.next((m) => m.type === ScoreboardMessage.LeaderboardUpdate);
    assert.equal(live.data.leaderboard[0].score, 31);

    for (const s of [guestOnB, selfOnB, classicOnA]) s.close();
  });

  it("shares rate limits between processes through Redis", async () => {
    const username = `xr${Date.now().toString(36).slice(-6)}`;
    await api(a, "POST", "/auth/register", { username, password: "correct horse battery" });
    const token = (await api(b, "POST", "/auth/login", { username, password: "correct horse battery" })).body.access_token as string;
    for (let i = 0; i < 10; i++) assert.equal((await api(i % 2 ? a : b, "POST", "/api/scores", action(1), token)).status, 200);
    const over = await api(a, "POST", "/api/scores", action(1), token);
    assert.equal(over.status, 429);
    assert.equal(over.body.error_code, "RATE_LIMIT_EXCEEDED");
  });
});
