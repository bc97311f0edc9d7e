// `npm run bench:auth`: argon2id cost per login, identity-JWT verifications per second, and
// GET /current_user throughput with p50/p95 latency under concurrency. Uses an in-memory
// PGlite (or a fresh PostgreSQL database when DATABASE_URL is set) and the session store
// of the configuration (Redis when REDIS_URL is set). The load generator runs in a worker
// thread so it does not share the server's event loop (it still shares the machine's cores).
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { Worker } from "node:worker_threads";
import { openTestDatabase } from "@arena/db/test-database";
import { MemorySessionStore } from "@arena/shared";
import { RedisSessionStore } from "@arena/shared/session/redis-session-store";
import { verifyIdentityToken, signIdentityToken } from "@arena/shared/tokens/identity-token";
import { createArgon2Hasher } from "../src/auth/password-hasher.ts";
import { loadBackendConfig } from "../src/config.ts";
import { createIdentityKeyStore } from "../src/keys/identity-key-store.ts";
import { createLogger } from "../src/logger.ts";
import { startBackend } from "../src/start-backend.ts";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (n: number) => n.toFixed(1);

async function benchArgon2(): Promise<void> {
  const hasher = createArgon2Hasher();
  const encoded = await hasher.hash("correct horse battery");
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    await hasher.verify(encoded, "correct horse battery");
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const hashStart = performance.now();
  await Promise.all(Array.from({ length: 8 }, () => hasher.hash("parallel password")));
  const parallel = (performance.now() - hashStart) / 8;
  console.log(`argon2id (m=19456 KiB, t=2, p=1) verify per login: p50 ${ms(percentile(times, 50))} ms, p95 ${ms(percentile(times, 95))} ms`);
  console.log(`argon2id hashes, 8 at once on the libuv pool: ${ms(parallel)} ms each on average (${(1000 / parallel).toFixed(0)}/s)`);
}

async function benchJwt(): Promise<void> {
  const pem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  const keys = createIdentityKeyStore(pem);
  const options = { issuer: "arena-backend", audience: "arena" };
  const token = signIdentityToken({ sub: "1", nick: "bench", sid: randomUUID(), role: "player" }, keys.signing, { ...options, ttlSeconds: 900 });
  const resolve = (kid: string) => keys.resolve(kid);
  let count = 0;
  const end = performance.now() + 3000;
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) await verifyIdentityToken(token, resolve, options);
    count += 200;
  }
  console.log(`identity JWT verifications (ES256, cached KeyObject, one core): ${Math.round(count / 3).toLocaleString("en")}/s`);
  let signed = 0;
  const signEnd = performance.now() + 2000;
  while (performance.now() < signEnd) {
    for (let i = 0; i < 200; i++) signIdentityToken({ sub: "1", nick: "bench", sid: "s".repeat(43), role: "player" }, keys.signing, { ...options, ttlSeconds: 900 });
    signed += 200;
  }
  console.log(`identity JWT signatures (ES256): ${Math.round(signed / 2).toLocaleString("en")}/s`);
}

const LOAD_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { url, token, concurrency, seconds } = workerData;
const latencies = [];
let errors = 0;
const end = Date.now() + seconds * 1000;
async function loop() {
  while (Date.now() < end) {
    const start = performance.now();
    const res = await fetch(url, { headers: { authorization: "Bearer " + token } });
    const body = await res.json();
    if (res.status !== 200 || !body.logged_in) errors++;
    latencies.push(performance.now() - start);
  }
}
Promise.all(Array.from({ length: concurrency }, loop)).then(() => parentPort.postMessage({ latencies, errors }));
`;

async function benchCurrentUser(): Promise<void> {
  const config = loadBackendConfig({ PORT: "0", LOG_LEVEL: "silent", IDENTITY_SIGNING_KEY: generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string });
  const db = await openTestDatabase();
  const sessions = process.env.REDIS_URL ? new RedisSessionStore(process.env.REDIS_URL, `bench:${randomUUID()}:session:`) : new MemorySessionStore();
  const running = await startBackend(config, { db, sessions, log: createLogger(config) });
  try {
    const post = (path: string, body: unknown) =>
      fetch(running.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
    await post("/auth/register", { username: "bench_user", password: "correct horse battery" });
    const login = await post("/auth/login", { username: "bench_user", password: "correct horse battery" });
    const result = await new Promise<{ latencies: number[]; errors: number }>((resolve, reject) => {
      const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { url: `${running.url}/current_user`, token: login.access_token, concurrency: CONCURRENCY, seconds: SECONDS } });
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    const sorted = result.latencies.sort((a, b) => a - b);
    console.log(
      `GET /current_user (Bearer; verify + session check + touch + fresh JWT), ${db.kind} + ${process.env.REDIS_URL ? "redis" : "memory"} sessions, c=${CONCURRENCY}, ${SECONDS}s: ` +
        `${Math.round(sorted.length / SECONDS).toLocaleString("en")} req/s, p50 ${ms(percentile(sorted, 50))} ms, p95 ${ms(percentile(sorted, 95))} ms, errors ${result.errors}`,
    );
  } finally {
    await running.close();
    await sessions.close();
    await db.close();
  }
}

await benchArgon2();
await benchJwt();
await benchCurrentUser();
