import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

/** A JSON request with an optional bearer token; answers status and parsed body. */
export async function call(method: string, url: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Whether `port` can be bound on 127.0.0.1 right now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * The first of `count` consecutive ports free on 127.0.0.1 right now, none of them in `avoid`
 * (`npm start` gives its game servers GAME_PORT, GAME_PORT + 1, …). freePort's ephemeral port
 * alone says nothing of the next one, which a client socket may hold.
 */
export async function freePortRun(count: number, avoid: number[] = []): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await freePort();
    const run = Array.from({ length: count }, (_, i) => first + i);
    if (run.some((p) => avoid.includes(p) || p > 65535)) continue;
    if ((await Promise.all(run.slice(1).map(bindable))).every(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free ports`);
}

/** Resolves once `url` answers 2xx. */
export async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} not ready`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `npm start` (scripts/start.ts) running as a child process in its own process group. */
export interface Launcher {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM to the whole group (the launcher and any app processes it spawned); SIGKILL after 15 s. */
  stop(): Promise<void>;
}

/** Starts the real launcher, as `npm start` does, with `env` over this process's environment. */
export function startLauncher(env: Record<string, string | undefined>): Launcher {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: path.resolve(import.meta.dirname, ".."),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // the group is gone already
    }
  };
  return {
    child,
    output: () => output,
    async stop() {
      signal("SIGTERM");
      const force = setTimeout(() => signal("SIGKILL"), 15_000);
      await exited;
      clearTimeout(force);
      signal("SIGKILL"); // app processes that outlived the launcher
    },
  };
}
