// npm run bench:cluster -- [--players=32] [--per-room=4] [--matches=3] [--rate=4] [--duration=5000]
//                          [--watchers=10] [--smoke] [--write]
// Six simulated hosts, each a network namespace with its own address on one bridge
// (bench/cluster-net.ts): db (its own PostgreSQL, fsync on, and Redis), backend-1, backend-2,
// game-1, game-2, clients. The apps run as a deployment runs them: `node --import tsx
// backend/src/main.ts` and `game-server/src/main.ts` with DATABASE_URL / REDIS_URL, keys from
// `npm run keys`, a PUBLIC_ADDRESS per game server. Phase "1+1": one backend and one game
// server; phase "2+2": both of each. Clients (bench/cluster-clients.ts) play whole matches in
// both; the table compares them. --write puts it in docs/benchmarks.md. Needs root.
import { execFileSync, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { canCreateNamespaces, Cluster } from "./cluster-net.ts";
import { benchDir } from "./bench-children.ts";
import type { PhaseJob, PhaseResult } from "./cluster-clients.ts";
import { clusterTable, writeBenchmarksSection, type PhaseReport } from "./cluster-report.ts";

const { values: args } = parseArgs({
  options: {
    players: { type: "string" }, "per-room": { type: "string", default: "4" }, matches: { type: "string" }, rate: { type: "string", default: "4" },
    duration: { type: "string" }, watchers: { type: "string", default: "10" }, smoke: { type: "boolean", default: false }, write: { type: "boolean", default: false },
  },
});
const smoke = args.smoke;
const settings = {
  players: Number(args.players ?? (smoke ? 8 : 32)),
  perRoom: Number(args["per-room"]),
  matches: Number(args.matches ?? (smoke ? 1 : 3)),
  rate: Number(args.rate),
  durationMs: Number(args.duration ?? (smoke ? 2000 : 5000)),
  watchers: Number(args.watchers),
};

const root = path.resolve(benchDir, "..");
const PG_BIN = "/usr/lib/postgresql/15/bin";
const refused = canCreateNamespaces();
if (refused) {
  console.error(refused);
  process.exit(1);
}

const tmp = mkdtempSync("/tmp/arena-cluster-");
chmodSync(tmp, 0o755); // the postgres user must reach its data directory inside
const cluster = new Cluster();
let finished = false;
const teardown = async () => {
  await cluster.destroy();
  rmSync(tmp, { recursive: true, force: true });
};
process.on("exit", () => {
  if (finished) return;
  cluster.destroySync();
  rmSync(tmp, { recursive: true, force: true });
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the cluster…`);
    process.once(signal, () => process.exit(130)); // a second one: the exit hook kills what is left
    teardown().finally(() => ((finished = true), process.exit(130)));
  });
}

/** `KEY=value` lines of `npm run keys`; a PEM is one JSON-quoted line. */
function readKeys(file: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) keys[line.slice(0, at)] = line[at + 1] === '"' ? JSON.parse(line.slice(at + 1)) : line.slice(at + 1);
  }
  return keys;
}

/** CPU seconds used so far by every process of a host (namespace). */
function hostCpuSeconds(role: string): number {
  const pids = spawnSync("ip", ["netns", "pids", cluster.host(role).ns], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
  const tick = 100; // USER_HZ
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // exited meanwhile
    }
  }
  return ticks / tick;
}

async function main(): Promise<void> {
  const roles = ["db", "backend-1", "backend-2", "game-1", "game-2", "clients"];
  cluster.create(roles);
  const ip = (role: string) => cluster.host(role).ip;
  const logFile = (role: string) => path.join(tmp, `${role}.log`);

  // Secrets exactly as a deployment makes them.
  execFileSync("node", ["--import", "tsx", "scripts/gen-keys.ts", "--out", path.join(tmp, "keys.env")], { cwd: root, stdio: "ignore" });
  const keys = readKeys(path.join(tmp, "keys.env"));

  // db host: PostgreSQL (own data dir and socket dir, fsync on) and Redis, on the host's address only.
  const pgRoot = path.join(tmp, "pg"); // owned by postgres: data, log and socket
  const pgDir = path.join(pgRoot, "data");
  mkdirSync(pgRoot);
  const postgresUid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
  chownSync(pgRoot, postgresUid, postgresUid);
  const asPostgres = (cmd: string[]) => ["runuser", "-u", "postgres", "--", ...cmd];
  cluster.execSync("db", asPostgres([`${PG_BIN}/initdb`, "-D", pgDir, "-U", "postgres", "--auth=trust", "-E", "UTF8"]));
  writeFileSync(path.join(pgDir, "pg_hba.conf"), "local all all trust\nhost all all 10.77.0.0/24 trust\n");
  const pgOptions = `-h ${ip("db")} -p 5432 -k ${pgRoot} -c fsync=on -c synchronous_commit=on -c max_connections=200`;
  cluster.execSync("db", asPostgres([`${PG_BIN}/pg_ctl`, "-D", pgDir, "-l", path.join(pgRoot, "postgres.log"), "-w", "-t", "60", "-o", pgOptions, "start"]));
  cluster.onDestroy(() => void spawnSync("runuser", ["-u", "postgres", "--", `${PG_BIN}/pg_ctl`, "-D", pgDir, "-m", "fast", "-w", "stop"]));
  const psql = (sql: string) => cluster.execSync("db", asPostgres([`${PG_BIN}/psql`, "-h", pgRoot, "-d", "arena", "-Atc", sql])).trim();
  const redisDir = path.join(tmp, "redis");
  mkdirSync(redisDir);
  cluster.spawn("db", ["redis-server", "--bind", ip("db"), "--port", "6379", "--dir", redisDir, "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--protected-mode", "no"], { env: { PATH: process.env.PATH }, logFile: logFile("redis") });
  for (let tries = 0; spawnSync("ip", ["netns", "exec", cluster.host("db").ns, "redis-cli", "-h", ip("db"), "ping"], { encoding: "utf8" }).stdout.trim() !== "PONG"; tries++) {
    if (tries > 100) throw new Error("redis-server did not answer");
    await new Promise((r) => setTimeout(r, 100));
  }
  const redisInfo = (section: string) => cluster.execSync("db", ["redis-cli", "-h", ip("db"), "-p", "6379", "info", section]);
  const redisStat = (field: string, section = "stats") => Number(new RegExp(`^${field}:(\\S+)`, "m").exec(redisInfo(section))?.[1] ?? NaN);

  const DATABASE_URL = `postgresql://postgres@${ip("db")}:5432/arena`;
  const REDIS_URL = `redis://${ip("db")}:6379`;
  // Only what a deployment sets: nothing leaks from this shell (no DATABASE_URL of the shared PostgreSQL).
  const base = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", LOG_LEVEL: "warn", REDIS_URL, GAME_DURATION_MS: String(settings.durationMs) };
  // Every player of this bench comes from the one clients address; a real crowd has many. Lift the per-IP caps.
  const perIp = { WS_CONNECTIONS_PER_IP: "100000", TICKET_RATE_LIMIT: "1000000" };
  // This machine is shared (load average often above 10 on 2 cores): a process compiling its
  // TypeScript at boot can stall its event loop past the 1 s Redis command timeout.
  const slowHost = { REDIS_COMMAND_TIMEOUT: "5000" };
  // Each phase starts from an empty database and Redis, so both see the same leaderboard changes
  // (a board already full of the last phase's scores would send no LEADERBOARD_UPDATE).
  const freshState = () => {
    cluster.execSync("db", asPostgres([`${PG_BIN}/dropdb`, "-h", pgRoot, "--if-exists", "arena"]));
    cluster.execSync("db", asPostgres([`${PG_BIN}/createdb`, "-h", pgRoot, "arena"]));
    cluster.execSync("db", ["redis-cli", "-h", ip("db"), "-p", "6379", "flushall"]);
    // Migrations run once, as a release step, before any app starts.
    cluster.execSync("backend-1", ["node", "--import", "tsx", "prisma/src/migrate-cli.ts"], { env: { PATH: process.env.PATH, DATABASE_URL }, cwd: root });
  };

  const apps = new Map<string, ChildProcess>();
  const startBackend = (n: number) =>
    apps.set(`backend-${n}`, cluster.spawn(`backend-${n}`, ["node", "--import", "tsx", "backend/src/main.ts"], {
      cwd: root, logFile: logFile(`backend-${n}`),
      env: {
        ...base, ...perIp, ...slowHost, HOST: ip(`backend-${n}`), PORT: "3000", DATABASE_URL,
        IDENTITY_SIGNING_KEY: keys.IDENTITY_SIGNING_KEY, SERVICE_PUBLIC_KEY: keys.SERVICE_PUBLIC_KEY,
        GAME_SERVER_URL: `http://${ip("game-1")}:2567`, AUTH_RATE_LIMIT: "100000",
      },
    }));
  const startGame = (n: number) =>
    apps.set(`game-${n}`, cluster.spawn(`game-${n}`, ["node", "--import", "tsx", "game-server/src/main.ts"], {
      cwd: root, logFile: logFile(`game-${n}`),
      env: {
        ...base, ...perIp, ...slowHost, HOST: ip(`game-${n}`), PORT: "2567", PUBLIC_ADDRESS: `${ip(`game-${n}`)}:2567`,
        IDENTITY_JWKS_URL: `http://${ip(`backend-${n}`)}:3000/.well-known/jwks.json`, BACKEND_URL: `http://${ip(`backend-${n}`)}:3000`,
        SERVICE_PRIVATE_KEY: keys.SERVICE_PRIVATE_KEY, ADMIN_PASSWORD: keys.MONITOR_PASSWORD,
        MATCH_COUNTDOWN_MS: "500", MATCH_RESULTS_MS: "300", MATCH_SUBMIT_GRACE_MS: "2000",
      },
    }));

  const clients = cluster.spawn("clients", ["node", "--import", "tsx", "bench/cluster-clients.ts"], { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME }, logFile: logFile("clients"), ipc: true });
  const ask = <T>(message: object): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: any) => {
        clients.off("message", onMessage);
        if (m?.error) reject(new Error(`clients: ${m.error}`));
        else resolve(m as T);
      };
      clients.on("message", onMessage);
      clients.send(message);
    });

  const reports: PhaseReport[] = [];
  for (const hostsOfEach of [1, 2]) {
    await Promise.all([...apps.values()].map((child) => cluster.stop(child)));
    apps.clear();
    freshState();
    for (let n = 1; n <= hostsOfEach; n++) startBackend(n);
    for (let n = 1; n <= hostsOfEach; n++) startGame(n);
    const backends = Array.from({ length: hostsOfEach }, (_, i) => `http://${ip(`backend-${i + 1}`)}:3000`);
    const gameServers = Array.from({ length: hostsOfEach }, (_, i) => `http://${ip(`game-${i + 1}`)}:2567`);
    const crashed = new Promise<never>((_, reject) => {
      for (const [role, child] of apps) child.once("exit", (code) => reject(new Error(`${role} exited with ${code}`)));
    });
    crashed.catch(() => {}); // only the race below listens
    await Promise.race([ask({ ready: [...backends, ...gameServers] }), crashed]);
    const label = `${hostsOfEach}+${hostsOfEach}`;
    const userPrefix = `c${hostsOfEach}u`;
    console.log(`phase ${label}: ${settings.players} players on ${backends.length} backend(s) and ${gameServers.length} game server(s)…`);
    const hostRoles = roles;
    const cpu0 = Object.fromEntries(hostRoles.map((r) => [r, hostCpuSeconds(r)]));
    const redis0 = redisStat("total_commands_processed");
    const xact0 = Number(psql("select xact_commit from pg_stat_database where datname = 'arena'"));
    const t0 = Date.now();
    const job: PhaseJob = { label, backends, gameServers, players: settings.players, perRoom: settings.perRoom, matches: settings.matches, rate: settings.rate, watchersPerBackend: settings.watchers, userPrefix };
    const { result } = await ask<{ result: PhaseResult }>({ phase: job });
    // Results reach the backends through the game servers' outboxes: wait for the commits.
    const commitsSql = `select count(*), coalesce(extract(epoch from max(h.created_at)) * 1000, 0)::bigint from score_history h join users u on u.id = h.user_id where u.username like '${userPrefix}%'`;
    let commits = 0;
    let lastCommitMs = 0;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
      [commits, lastCommitMs] = psql(commitsSql).split("|").map(Number);
      if (commits >= result.resultsSaved) break;
    }
    const seconds = (Date.now() - t0) / 1000;
    const cpu = Object.fromEntries(hostRoles.map((r) => [r, (hostCpuSeconds(r) - cpu0[r]) / seconds]));
    reports.push({
      label, result, commits, lastCommitMs, cpu,
      redisOpsPerSecond: (redisStat("total_commands_processed") - redis0) / seconds,
      redisMemory: String(new RegExp("^used_memory_human:(\\S+)", "m").exec(redisInfo("memory"))?.[1]),
      pgCommitsPerSecond: (Number(psql("select xact_commit from pg_stat_database where datname = 'arena'")) - xact0) / seconds,
    });
  }
  clients.send("stop");

  const load = loadavg().map((l) => l.toFixed(2)).join(", ");
  const command = `npm run bench:cluster -- ${process.argv.slice(2).join(" ")}`.trim();
  const table = clusterTable(reports, settings);
  console.log(`\n${command}\n${new Date().toISOString()}, load average ${load}\n\n${table}`);
  if (args.write) writeBenchmarksSection(path.join(root, "docs", "benchmarks.md"), { command, date: new Date().toISOString(), load, table, settings });
  const expired = reports.reduce((sum, r) => sum + (r.result.errors["seat reservation expired"] ?? 0), 0);
  process.exitCode = expired > 0 ? 1 : 0;
}

try {
  await main();
} catch (err) {
  console.error(`bench:cluster failed: ${(err as Error).stack ?? err}`);
  for (const role of ["backend-1", "game-1", "backend-2", "game-2", "clients", "redis"]) {
    try {
      const tail = readFileSync(path.join(tmp, `${role}.log`), "utf8").slice(-5000);
      if (tail) console.error(`--- ${role} log tail:\n${tail}`);
    } catch {
      // that host never started
    }
  }
  process.exitCode = 1;
} finally {
  await teardown();
  finished = true;
}
