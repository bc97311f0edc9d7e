// The child processes every ratio/capacity bench uses: a server (ratios-server.ts) measured alone,
// and load generators, so the server's CPU, memory and event loop are its own.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CollectedMemory, ServerJob, ServerStats } from "./ratios-server.ts";

export const benchDir = path.dirname(fileURLToPath(import.meta.url));

export interface ServerHandle {
  url: string;
  /** Bearer tokens of the backend's bench users (backend only). */
  tokens: string[];
  /** Resets the CPU counter and the event-loop delay histogram. */
  mark(): void;
  /** CPU used since the mark, ms. */
  cpuMs(): Promise<number>;
  /** Runs `load`; when the server was started with a profile folder, CPU-profiles the server during it. */
  profiled<T>(load: () => Promise<T>): Promise<T>;
  /** Memory now and event-loop delay since the mark. */
  stats(): Promise<ServerStats>;
  /** Memory right after a forced full GC (the server child runs with --expose-gc). */
  collected(): Promise<CollectedMemory>;
  /** Writes a V8 heap snapshot of the server into `dir`; resolves with its file. */
  heapSnapshot(dir: string): Promise<string>;
  stop(): Promise<void>;
}

function ask<T>(child: ChildProcess, request: string | object, key: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (m: Record<string, unknown>) => {
      if (m?.[key] === undefined) return;
      child.off("message", listener);
      resolve(m[key] as T);
    };
    child.on("message", listener);
    child.send(request);
  });
}

/** Forks ratios-server.ts for `job`; with `profileDir`, `profiled` loads are CPU-profiled there. */
export async function startServer(job: ServerJob, profileDir?: string): Promise<ServerHandle> {
  const env = { ...process.env, BENCH_SERVER: JSON.stringify(job), ...(profileDir ? { BENCH_PROFILE_DIR: profileDir } : {}) };
  // --expose-gc only makes global.gc callable: V8 collects as usual until "gc" asks it to.
  const child: ChildProcess = fork(path.join(benchDir, "ratios-server.ts"), [], { execArgv: ["--import", "tsx", "--expose-gc"], env });
  const ready = await new Promise<{ url: string; tokens?: string[] }>((resolve, reject) => {
    child.on("message", (m: { ready?: { url: string; tokens?: string[] } }) => m?.ready && resolve(m.ready));
    child.once("exit", (code) => reject(new Error(`${job.kind} server exited with ${code} before listening`)));
  });
  return {
    url: ready.url,
    tokens: ready.tokens ?? [],
    mark: () => child.send("mark"),
    cpuMs: () => ask<number>(child, "cpu", "cpuMs"),
    stats: () => ask<ServerStats>(child, "stats", "stats"),
    collected: () => ask<CollectedMemory>(child, "gc", "collected"),
    heapSnapshot: (dir) => ask<string>(child, { snapshot: dir }, "snapshot"),
    async profiled(load) {
      if (!profileDir) return load();
      await ask(child, "profile:start", "profiling");
      const result = await load();
      console.log(`  CPU profile: ${await ask<string>(child, "profile:stop", "profiled")}`);
      return result;
    },
    stop: () => new Promise((resolve) => (child.once("exit", () => resolve()), child.send("stop"))),
  };
}

/** Forks a load generator script, sends it `job`, resolves with its `{ result }`. */
export function runChild<R>(script: string, job: unknown): Promise<R> {
  const child = fork(path.join(benchDir, script), [], { execArgv: ["--import", "tsx"] });
  child.send(job as object);
  return new Promise((resolve, reject) => {
    child.on("message", (m: { result?: R }) => m?.result && resolve(m.result));
    child.once("exit", (code) => code !== 0 && reject(new Error(`${script} exited with ${code}`)));
  });
}
