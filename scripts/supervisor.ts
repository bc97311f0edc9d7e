// A small process manager for the multi-process `npm start`: every child is restarted when
// it exits (with exponential backoff, logged), and stop() delivers SIGTERM to every child
// and resolves once they have all exited.
import { spawn, type ChildProcess } from "node:child_process";

/** One supervised program. */
export interface ChildSpec {
  /** Name in the log lines, e.g. "backend", "game-server-1". */
  name: string;
  /** Command-line arguments after the node executable. */
  args: string[];
  /** Environment of the child. */
  env: NodeJS.ProcessEnv;
}

export interface SupervisorOptions {
  /** Working directory of the children. */
  cwd: string;
  /** Where the supervisor's own lines go. */
  log?: (line: string) => void;
  /** First restart delay, doubled per restart in a row up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** A child that ran this long before exiting counts as healthy: its next restart is quick again. */
  stableMs?: number;
  /** How long stop() waits for a child after SIGTERM before it sends SIGKILL. */
  killAfterMs?: number;
}

/** Delay before restart number `restarts` (0 = the first): base · 2^restarts, capped. */
export function restartDelay(restarts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(restarts, 30));
}

interface Slot {
  spec: ChildSpec;
  child?: ChildProcess;
  startedAt: number;
  restarts: number;
  timer?: NodeJS.Timeout;
}

export class Supervisor {
  private readonly slots: Slot[] = [];
  private stopping: Promise<void> | undefined;
  private readonly log: (line: string) => void;

  constructor(private readonly options: SupervisorOptions) {
    this.log = options.log ?? ((line) => console.log(`[start] ${line}`));
  }

  /** Starts a child and keeps it running until stop(). */
  add(spec: ChildSpec): void {
    const slot: Slot = { spec, startedAt: 0, restarts: 0 };
    this.slots.push(slot);
    this.launch(slot);
  }

  /** SIGTERM to every child (SIGKILL after `killAfterMs`); resolves once all have exited. */
  stop(): Promise<void> {
    this.stopping ??= Promise.all(
      this.slots.map((slot) => {
        clearTimeout(slot.timer);
        const child = slot.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return undefined;
        return new Promise<void>((resolve) => {
          const force = setTimeout(() => child.kill("SIGKILL"), this.options.killAfterMs ?? 10_000);
          child.once("exit", () => {
            clearTimeout(force);
            resolve();
          });
          child.kill("SIGTERM");
        });
      }),
    ).then(() => undefined);
    return this.stopping;
  }

  private launch(slot: Slot): void {
    const child = spawn(process.execPath, slot.spec.args, { cwd: this.options.cwd, env: slot.spec.env, stdio: "inherit" });
    slot.child = child;
    slot.startedAt = Date.now();
    this.log(`${slot.spec.name} started (pid ${child.pid})`);
    child.on("exit", (code, signal) => {
      if (this.stopping) {
        this.log(`${slot.spec.name} stopped (${signal ?? code})`);
        return;
      }
      if (Date.now() - slot.startedAt >= (this.options.stableMs ?? 30_000)) slot.restarts = 0;
      const delay = restartDelay(slot.restarts++, this.options.baseBackoffMs ?? 500, this.options.maxBackoffMs ?? 30_000);
      this.log(`${slot.spec.name} exited (${signal ?? `code ${code}`}); restart ${slot.restarts} in ${delay} ms`);
      slot.timer = setTimeout(() => {
        if (!this.stopping) this.launch(slot);
      }, delay);
    });
  }
}
