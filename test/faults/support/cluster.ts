// The product as `npm start` runs it with REDIS_URL and DATABASE_URL set: the supervisor in
// scripts/start.ts with one backend and two game-server processes, each its own process.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePortRun } from "../../support.ts";
import { freePort } from "./services.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");

export interface ClusterOptions {
  redisUrl: string;
  databaseUrl: string;
  dataDir: string;
  /** More environment for every process. */
  env?: Record<string, string>;
}

export class Cluster {
  /** Every line the launcher and its children printed. */
  readonly output: string[] = [];
  private launcher: ChildProcess | undefined;

  private constructor(
    readonly backendUrl: string,
    readonly gameUrls: string[],
  ) {}

  static async start(options: ClusterOptions): Promise<Cluster> {
    const backendPort = await freePort();
    const gamePort = await freePortRun(2, [backendPort]);
    const cluster = new Cluster(`http://127.0.0.1:${backendPort}`, [`http://127.0.0.1:${gamePort}`, `http://127.0.0.1:${gamePort + 1}`]);
    const launcher = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        REDIS_URL: options.redisUrl,
        DATABASE_URL: options.databaseUrl,
        DATA_DIR: options.dataDir,
        PORT: String(backendPort),
        GAME_PORT: String(gamePort),
        GAME_SERVERS: "2",
        LOG_LEVEL: "warn",
        NODE_ENV: "test",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    cluster.launcher = launcher;
    for (const stream of [launcher.stdout!, launcher.stderr!]) {
      let rest = "";
      stream.on("data", (chunk: Buffer) => {
        const lines = (rest + chunk.toString()).split("\n");
        rest = lines.pop()!;
        cluster.output.push(...lines);
        if (process.env.FAULTS_VERBOSE) for (const line of lines) console.log(`    | ${line}`);
      });
    }
    await cluster.ready();
    return cluster;
  }

  /** Waits until the backend and both game servers answer /readyz with 200. */
  async ready(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const url of [this.backendUrl, ...this.gameUrls]) {
      while (!(await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false))) {
        if (this.launcher?.exitCode !== null) throw new Error(`launcher exited:\n${this.output.slice(-30).join("\n")}`);
        if (Date.now() > deadline) throw new Error(`${url} not ready:\n${this.output.slice(-30).join("\n")}`);
        await sleep(200);
      }
    }
  }

  /** The current pid of a supervised child ("backend", "game-server-1", "game-server-2"). */
  pid(name: string): number {
    const started = this.output.map((line) => new RegExp(`^\\[start\\] ${name} started \\(pid (\\d+)\\)`).exec(line)).filter(Boolean);
    if (!started.length) throw new Error(`${name} never started`);
    return Number(started.at(-1)![1]);
  }

  /** SIGKILL to one child; resolves once the supervisor has started its replacement. */
  async kill9(name: string): Promise<{ oldPid: number; newPid: number }> {
    const oldPid = this.pid(name);
    process.kill(oldPid, "SIGKILL");
    for (let i = 0; i < 300; i++) {
      if (this.pid(name) !== oldPid) return { oldPid, newPid: this.pid(name) };
      await sleep(100);
    }
    throw new Error(`${name} was not restarted`);
  }

  /** Lines printed since `from` (an index into output). */
  since(from: number): string[] {
    return this.output.slice(from);
  }

  /** SIGTERM to the launcher (as `docker stop` / Ctrl-C would); resolves once it exited. */
  async stop(): Promise<number | null> {
    const launcher = this.launcher;
    if (!launcher || launcher.exitCode !== null) return launcher?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => launcher.once("exit", (code) => resolve(code)));
    launcher.kill("SIGTERM");
    return exited;
  }
}
