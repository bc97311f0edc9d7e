// The contract between the two apps, checked in one process without the network: the game
// server's own code path (GameController → ResultsOutbox → HTTP results sink, signed with its
// service-token signer) delivers into the backend's own internal router (service-token check,
// body schemas, answers), and both apps read the shared config keys alike.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import type express from "express";
import { AppError } from "@arena/shared";
import { gameRulesFrom, sharedConfigSchema } from "@arena/shared/contracts/shared-config";
import { loadBackendConfig } from "../backend/src/config.ts";
import { createInternalRouter } from "../backend/src/internal/internal-routes.ts";
import { serviceTokenLimits } from "../backend/src/internal/service-auth.ts";
import type { ScoreService } from "../backend/src/scores/score-service.ts";
import { loadConfig as loadGameConfig } from "../game-server/src/config.ts";
import { gameSettingsFrom } from "../game-server/src/game/game-config.ts";
import { GameController, type PlayerClient } from "../game-server/src/game/game-controller.ts";
import { createHttpResultsSink } from "../game-server/src/game/http-results-sink.ts";
import { MemoryOutboxStore } from "../game-server/src/game/memory-outbox-store.ts";
import { ResultsOutbox } from "../game-server/src/game/results-outbox.ts";
import { createServiceTokenSigner } from "../game-server/src/game/service-token.ts";

const T0 = 1_800_000_000_000;
/** One environment for both apps, as a deployment gives them: a 10 s game. */
const SHARED_ENV = { GAME_DURATION_MS: "10000" };
const quiet = { info() {}, warn() {}, error() {} };

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { privatePem: privateKey.export({ type: "pkcs8", format: "pem" }) as string, publicPem: publicKey.export({ type: "spki", format: "pem" }) as string };
}

/** A fetch that hands each request to an Express router in this process (no socket), as the backend's error middleware would answer. */
function inProcessFetch(router: express.Router): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => (headers[key] = value));
    const req = {
      method: init?.method ?? "GET",
      url: new URL(String(input)).pathname,
      headers,
      body: JSON.parse(String(init?.body ?? "null")),
    };
    const answer = await new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const res = {
        statusCode: 200,
        status(code: number) {
          this.statusCode = code;
          return this;
        },
        json(body: unknown) {
          resolve({ status: this.statusCode, body });
        },
      };
      router(req as unknown as express.Request, res as unknown as express.Response, (err?: unknown) => {
        if (err instanceof AppError) resolve({ status: err.status, body: { success: false, error_code: err.code } });
        else if (err) reject(err);
        else resolve({ status: 404, body: { success: false, error_code: "NOT_FOUND" } });
      });
    });
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
}

/** The backend's internal router over recording fakes of its score service and flag queue. */
function backendSide(publicPem: string, now: () => number) {
  const results: unknown[] = [];
  const flags: { userId: number; reason: string; evidence: Record<string, unknown>; key: string }[] = [];
  let flagged: () => void = () => {};
  const flagArrived = new Promise<void>((resolve) => (flagged = resolve));
  const scores = {
    async submitGameResult(body: { user_id: string; mode: string; score: number }) {
      results.push(body);
      return { userId: Number(body.user_id), board: body.mode, newScore: body.score, rank: 4, replay: false };
    },
  } as unknown as ScoreService;
  const config = loadBackendConfig(SHARED_ENV);
  const router = createInternalRouter({
    scores,
    servicePublicKey: publicPem,
    now,
    rules: gameRulesFrom(config),
    tokenLimits: serviceTokenLimits(config),
    audit: { record: async () => {} },
    addFlag: async (userId, reason, evidence, key) => {
      flags.push({ userId, reason, evidence, key });
      flagged();
      return true;
    },
  });
  return { router, results, flags, flagArrived };
}

/** The game server's side: a controller on a hand-driven clock, delivering through the real outbox and HTTP sink. */
function gameSide(signingPem: string, router: express.Router) {
  let now = T0;
  const timers: { at: number; fn: () => void }[] = [];
  const clock = {
    now: () => now,
    setTimeout(fn: () => void, ms: number) {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return { clear: () => void timers.splice(timers.indexOf(timer), 1) };
    },
    advance(ms: number) {
      now += ms;
      for (const t of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    },
  };
  const sink = createHttpResultsSink({ backendUrl: "http://backend.invalid", serviceToken: createServiceTokenSigner(signingPem, clock.now), fetch: inProcessFetch(router) });
  const outbox = new ResultsOutbox({ store: new MemoryOutboxStore(), sink, log: quiet, now: clock.now });
  const sent: { to: string; type: string; payload: any }[] = [];
  const controller = new GameController<PlayerClient>({
    mode: "classic",
    clock,
    settings: gameSettingsFrom(loadGameConfig(SHARED_ENV)),
    results: outbox,
    log: quiet,
    send: (client, type, payload) => sent.push({ to: client.auth!.sub, type, payload }),
    now: clock.now,
    newId: randomUUID,
    newSeed: () => 7,
  });
  const last = (to: string, type: string) => sent.filter((m) => m.to === to && m.type === type).at(-1)?.payload;
  return { clock, controller, outbox, last };
}

/** Both sides wired together, the backend on the game server's clock. */
function connect(signingPem: string, verifyingPem: string) {
  let backend!: ReturnType<typeof backendSide>;
  const game = gameSide(signingPem, ((...args: Parameters<express.Router>) => backend.router(...args)) as express.Router);
  backend = backendSide(verifyingPem, game.clock.now);
  return { game, backend };
}

const alice: PlayerClient = { sessionId: "c1", auth: { sub: "11", nick: "alice", guest: false } };

/** Plays one classic game with one point to its end; answers the submission the client would send. */
function playOnePoint(game: ReturnType<typeof gameSide>, endToken = true) {
  const { clock, controller, last } = game;
  controller.onJoin(alice);
  controller.onGameStart(alice, { clientTs: 0 });
  clock.advance(300);
  const target = last("11", "game_started").target;
  controller.onPoint(alice, { clientTs: 300, target: target.index, x: target.x, y: target.y });
  clock.advance(10_000);
  const started = last("11", "game_started");
  return {
    sessionId: started.sessionId,
    startToken: started.startToken,
    endToken: endToken ? last("11", "end_game").endToken : null,
    points: [{ token: last("11", "point_accepted").token, clientTs: 300 }],
  };
}

describe("contract: game server → backend internal routes (in process)", () => {
  it("an account's result, built by the game controller and sent by the outbox with the game server's credential, is accepted by the backend's route", async () => {
    const keys = keyPair();
    const { game, backend } = connect(keys.privatePem, keys.publicPem);
    const submission = playOnePoint(game);
    await game.controller.onSubmit(alice, submission);
    const answer = game.last("11", "result");
    assert.deepEqual([answer.accepted, answer.saved, answer.pending, answer.board, answer.newScore, answer.rank], [true, true, false, "classic", 1, 4]);
    assert.deepEqual(backend.results, [
      { result_id: submission.sessionId, user_id: "11", mode: "classic", score: 1, points: 1, started_at: new Date(T0).toISOString(), ended_at: new Date(T0 + 10_000).toISOString() },
    ]);
    assert.equal(await game.outbox.pending(), 0, "nothing left to retry");
    await game.outbox.close();
  });

  it("a flag raised by the game controller reaches the backend's review queue with its evidence", async () => {
    const keys = keyPair();
    const { game, backend } = connect(keys.privatePem, keys.publicPem);
    const submission = playOnePoint(game, false);
    await game.controller.onSubmit(alice, submission);
    await backend.flagArrived;
    assert.equal(backend.flags.length, 1);
    const [flag] = backend.flags;
    assert.deepEqual([flag.userId, flag.reason, flag.evidence.reason, flag.evidence.sessionId], [11, "SUBMISSION_REJECTED", "missing_end_token", submission.sessionId]);
    assert.match(flag.key, /^[0-9a-f-]{36}$/);
    await game.outbox.close();
  });

  it("a credential signed with another key is refused (401) and the result stays queued for a retry", async () => {
    const { game, backend } = connect(keyPair().privatePem, keyPair().publicPem);
    await game.controller.onSubmit(alice, playOnePoint(game));
    assert.deepEqual([game.last("11", "result").saved, game.last("11", "result").pending], [true, true]);
    assert.deepEqual(backend.results, []);
    assert.equal(await game.outbox.pending(), 1);
    await game.outbox.close();
  });

  it("the game server's credential verifies on the backend only while its clocks agree within the token's life", async () => {
    const keys = keyPair();
    let backendNow = T0;
    const backend = backendSide(keys.publicPem, () => backendNow);
    const token = createServiceTokenSigner(keys.privatePem, () => T0);
    const post = () => inProcessFetch(backend.router)("http://backend.invalid/internal/flags", {
      method: "POST",
      headers: { authorization: `Bearer ${token()}` },
      body: JSON.stringify({ flag_id: randomUUID(), user_id: "11", reason: "X", evidence: {} }),
    });
    assert.equal((await post()).status, 200);
    backendNow = T0 - 29_000; // the backend's clock behind, within TOKEN_CLOCK_SKEW
    assert.equal((await post()).status, 200);
    backendNow = T0 - 31_000;
    assert.equal((await post()).status, 401);
    backendNow = T0 + 299_000; // within the 300 s lifetime
    assert.equal((await post()).status, 200);
    backendNow = T0 + 301_000;
    assert.equal((await post()).status, 401);
  });
});

describe("contract: the config keys both apps share", () => {
  const SHARED = Object.keys(sharedConfigSchema.shape);
  const pick = (config: Record<string, unknown>) => Object.fromEntries(SHARED.map((key) => [key, config[key]]));

  it("have the same defaults in both apps", () => {
    assert.deepEqual(pick(loadGameConfig({})), pick(loadBackendConfig({})));
  });

  it("give both apps the same game rules", () => {
    const env = { GAME_DURATION_MS: "45000", BURST_MAX_POINTS: "5", LATENCY_ALLOWANCE_MS: "700" };
    const { burstLimit: _limit, burstPeriodMs: _period, ...played } = gameSettingsFrom(loadGameConfig(env));
    const { burstLimit: _l, burstPeriodMs: _p, ...checked } = gameRulesFrom(loadBackendConfig(env));
    assert.deepEqual(played, checked);
    assert.deepEqual([played.durationMs, played.burstMaxPoints, played.latencyAllowanceMs], [45_000, 5, 700]);
  });

  it("read the same environment to the same values, an empty value meaning unset in both", () => {
    const env = { NODE_ENV: "test", LOG_LEVEL: "warn", REDIS_URL: "redis://127.0.0.1:6379/2", REDIS_KEY_PREFIX: "", JWT_ISSUER: "iss-x", JWT_AUDIENCE: "" };
    const game = pick(loadGameConfig(env));
    assert.deepEqual(game, pick(loadBackendConfig(env)));
    assert.deepEqual([game.REDIS_KEY_PREFIX, game.JWT_AUDIENCE, game.JWT_ISSUER], ["arena:", "arena", "iss-x"]);
  });

  it("refuse the same bad value in both apps, naming the key", () => {
    for (const env of [{ REDIS_URL: "not a url" }, { LOG_LEVEL: "loud" }, { NODE_ENV: "prod" }]) {
      const key = Object.keys(env)[0];
      assert.throws(() => loadGameConfig(env), new RegExp(key));
      assert.throws(() => loadBackendConfig(env), new RegExp(key));
    }
  });
});
