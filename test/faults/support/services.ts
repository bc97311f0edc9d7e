// A private Redis and PostgreSQL for the fault suite, on free ports, in a temporary directory:
// they can be killed, frozen and restarted without touching any shared service.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import pg from "pg";

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** Why the suite cannot run here, or null when redis-server, initdb and pg_ctl are all present. */
export function missingTools(): string | null {
  const which = (cmd: string) => {
    try {
      execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  };
  if (!which("redis-server")) return "redis-server is not installed";
  if (!existsSync(path.join(PG_BIN, "initdb")) || !existsSync(path.join(PG_BIN, "pg_ctl"))) return `initdb/pg_ctl not found in ${PG_BIN} (set PG_BIN)`;
  if (process.getuid?.() === 0 && !which("runuser")) return "running as root without runuser (PostgreSQL refuses to run as root)";
  return null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** redis-server with AOF (as compose runs it), no RDB snapshots. */
export class RedisProcess {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(root: string): Promise<RedisProcess> {
    const dir = path.join(root, "redis");
    mkdirSync(dir, { recursive: true });
    const redis = new RedisProcess(await freePort(), dir);
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child!.pid!;
  }

  async start(): Promise<void> {
    this.child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--dir", this.dir],
      { stdio: "ignore" },
    );
    await until("redis", async () => {
      const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on("error", () => {});
      try {
        await probe.connect();
        return (await probe.ping()) === "PONG";
      } finally {
        probe.disconnect();
      }
    });
  }

  /** SIGKILL, then waits for the process to be gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once("exit", resolve));
    process.kill(child.pid!, "SIGCONT");
    child.kill("SIGKILL");
    await gone;
  }

  /** Killed and started again with its data files removed: a Redis that lost everything. */
  async restartEmpty(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    await this.start();
  }

  freeze(): void {
    process.kill(this.pid, "SIGSTOP");
  }

  thaw(): void {
    process.kill(this.pid, "SIGCONT");
  }
}

/** A PostgreSQL 15 cluster of its own (initdb + pg_ctl), run as the postgres user when we are root. */
export class PostgresProcess {
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(root: string): Promise<PostgresProcess> {
    const dir = path.join(root, "pg");
    mkdirSync(dir, { recursive: true });
    if (process.getuid?.() === 0) {
      const ids = execFileSync("id", ["-u", "postgres"]).toString().trim();
      const gid = execFileSync("id", ["-g", "postgres"]).toString().trim();
      chownSync(root, Number(ids), Number(gid));
      chownSync(dir, Number(ids), Number(gid));
    }
    const server = new PostgresProcess(await freePort(), dir);
    server.run("initdb", ["-D", path.join(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync"]);
    await server.start();
    return server;
  }

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private run(tool: string, args: string[]): void {
    const command = [path.join(PG_BIN, tool), ...args];
    const [file, argv] = process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", ...command]] : [command[0], command.slice(1)];
    execFileSync(file, argv as string[], { stdio: "ignore", cwd: this.dir });
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`;
    this.run("pg_ctl", ["-D", path.join(this.dir, "data"), "-o", options, "-l", path.join(this.dir, "log"), "-w", "start"]);
    await until("postgres", async () => {
      const client = new pg.Client({ connectionString: this.url });
      try {
        await client.connect();
        await client.query("SELECT 1");
        return true;
      } finally {
        await client.end().catch(() => {});
      }
    });
  }

  /** Stops at once, as a crash would (clients are cut, recovery runs at the next start). */
  stopImmediate(): void {
    this.run("pg_ctl", ["-D", path.join(this.dir, "data"), "-m", "immediate", "-w", "stop"]);
  }

  /** Stops the server for good (end of the suite). */
  stop(): void {
    try {
      this.run("pg_ctl", ["-D", path.join(this.dir, "data"), "-m", "immediate", "-w", "stop"]);
    } catch {
      // already stopped
    }
  }
}
