// npm run bench:profile — ledger credits per second through the match-credit path (creditMatch),
// group-committed, against the same path with one credit per statement (POINTS_BATCH_MAX=1) as
// the bare baseline; then POST /internal/match-records over HTTP (record stored + credited).
// Run on PostgreSQL with fsync on: DATABASE_URL=postgresql://… npm run bench:profile [-- --seconds=8 --users=10000 --phases=service,http]
import { generateKeyPairSync, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import jwt from "jsonwebtoken";
import pino from "pino";
import type { Database } from "@arena/db";
import { openTestDatabase } from "@arena/db/test-database";
import { MemorySessionStore } from "@arena/shared";
import { InternalRoute, MatchOutcome, type MatchRecordBody } from "@arena/shared/contracts/internal-api";
import { DEFAULT_PLACEMENT_MULTIPLIERS } from "@arena/shared/progression/index";
import { createBackend } from "../src/app.ts";
import { loadBackendConfig } from "../src/config.ts";
import { createPointsRepository } from "../src/progression/points-repository.ts";
import { createProgressionService } from "../src/progression/progression-service.ts";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const SECONDS = arg("seconds", 8);
const USERS = arg("users", 10_000);
const PLAYERS = 4;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms`;
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(" ");

/** A completed 4-player classic match of random accounts, placements 1..4. */
function randomRecord(): MatchRecordBody {
  const ids = new Set<number>();
  while (ids.size < PLAYERS) ids.add(1 + Math.floor(Math.random() * USERS));
  const ended = Date.now();
  return {
    match_id: randomUUID(), room_code: "BENCH", mode: "classic", round: 1, solo: false, outcome: MatchOutcome.Completed,
    started_at: new Date(ended - 30_000).toISOString(), ended_at: new Date(ended).toISOString(),
    players: [...ids].map((id, i) => ({
      user_id: String(id), nick: `u${id}`, guest: false, score: 5 + Math.floor(Math.random() * 40), placement: i + 1,
      flagged: false, finished: true, result_saved: true, result_id: randomUUID(),
    })),
  };
}

/** Runs `concurrency` loops of `once` for SECONDS; answers records/s and latencies. */
async function drive(concurrency: number, once: () => Promise<void>): Promise<{ perSecond: number; lat: number[] }> {
  const lat: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await once();
        lat.push(performance.now() - t0);
      }
    }),
  );
  return { perSecond: lat.length / SECONDS, lat };
}

async function servicePath(db: Database, maxBatch: number, concurrency: number): Promise<number> {
  const service = createProgressionService({
    repo: createPointsRepository(db),
    now: Date.now,
    log: pino({ level: "silent" }),
    rules: { match: { placementMultipliers: DEFAULT_PLACEMENT_MULTIPLIERS, stepsParMs: 60_000 }, dailyBonus: { base: 50, streakBonus: 10, streakCap: 6 } },
    batch: { maxBatch, maxWaitMs: 0, concurrency: 4 },
  });
  const { perSecond, lat } = await drive(concurrency, async () => void (await service.creditMatch(randomRecord())));
  await service.drain();
  const credits = perSecond * PLAYERS;
  console.log(`creditMatch, POINTS_BATCH_MAX=${maxBatch}, c=${concurrency} records: ${Math.round(credits)} credits/s (${Math.round(perSecond)} records/s), per record ${fmt(lat)}`);
  return credits;
}

async function httpPath(db: Database, concurrency: number): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const config = loadBackendConfig({ ...process.env, PORT: "0", LOG_LEVEL: "warn", SERVICE_PUBLIC_KEY: publicKey.export({ type: "spki", format: "pem" }) as string });
  const sessions = new MemorySessionStore();
  const backend = await createBackend({ config, db, sessions, log: pino({ level: "warn" }) });
  const server = http.createServer(backend.app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const iat = Math.floor(Date.now() / 1000);
  const token = jwt.sign({ sub: "game-server", typ: "service", iss: "arena-game-server", aud: "arena-backend", iat, exp: iat + SECONDS + 60 }, privateKey, { algorithm: "ES256", keyid: "game-server" });
  let errors = 0;
  const { perSecond, lat } = await drive(concurrency, async () => {
    const res = await fetch(url + InternalRoute.MatchRecords, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(randomRecord()) });
    await res.arrayBuffer();
    if (res.status !== 200) errors++;
  });
  console.log(`POST /internal/match-records, c=${concurrency} (stored + credited; load generator in-process): ${Math.round(perSecond * PLAYERS)} credits/s (${Math.round(perSecond)} records/s), ${fmt(lat)}${errors ? `, ${errors} errors` : ""}`);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await backend.close();
  await sessions.close();
}

const db = await openTestDatabase();
try {
  await db.sql.query(`INSERT INTO users (username, password_hash) SELECT 'bench_' || g, 'x' FROM generate_series(1, $1::int) g`, [USERS]);
  const fsync = db.kind === "postgres" ? (await db.sql.query<{ fsync: string }>("SHOW fsync"))[0].fsync : "n/a";
  console.log(`bench:profile ${new Date().toISOString()} — database ${db.kind} (fsync ${fsync}), ${USERS} accounts, ${PLAYERS} accounts per match, ${SECONDS} s per phase; load average ${load()}`);
  const phases = new Set((process.argv.find((a) => a.startsWith("--phases="))?.slice(9) ?? "service,http").split(","));
  for (const concurrency of phases.has("service") ? [1, 32] : []) {
    const bare = await servicePath(db, 1, concurrency);
    const batched = await servicePath(db, 256, concurrency);
    console.log(`  group commit vs one credit per statement at c=${concurrency}: ×${(batched / bare).toFixed(2)}`);
  }
  if (phases.has("http")) await httpPath(db, 32);
  const [{ n }] = await db.sql.query<{ n: string }>("SELECT count(*)::text AS n FROM points_ledger");
  const [{ bad }] = await db.sql.query<{ bad: string }>(
    "SELECT count(*)::text AS bad FROM profiles p WHERE p.balance <> (SELECT coalesce(sum(amount), 0) FROM points_ledger l WHERE l.user_id = p.user_id)",
  );
  console.log(`ledger rows written: ${n}; profiles whose balance differs from their ledger sum: ${bad}; load average at the end: ${load()}`);
} finally {
  await db.close();
}
