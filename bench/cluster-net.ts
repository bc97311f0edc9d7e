// The simulated hosts of bench/cluster.ts: one network namespace per host, each with one veth
// into a bridge that lives in its own "switch" namespace, so the root namespace (and the
// machine's own PostgreSQL and Redis on 127.0.0.1) is never touched. Addresses 10.77.0.0/24
// exist only inside these namespaces; names carry the pid so parallel runs do not collide.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";

const SUBNET = "10.77.0";

export interface Host {
  /** Short role name: db, backend-1, … */
  role: string;
  /** Namespace name. */
  ns: string;
  /** Its address on the bridge. */
  ip: string;
}

function run(args: string[]): void {
  const done = spawnSync("ip", args, { encoding: "utf8" });
  if (done.status !== 0) throw new Error(`ip ${args.join(" ")}: ${done.stderr.trim() || `exit ${done.status}`}`);
}

/** The namespaces, the bridge and the processes started in them; `destroy` undoes all of it. */
export class Cluster {
  readonly hosts = new Map<string, Host>();
  private readonly switchNs: string;
  private readonly namespaces: string[] = [];
  private readonly children: ChildProcess[] = [];
  private readonly cleanups: Array<() => void> = [];

  constructor(private readonly tag = `arena${process.pid}`) {
    this.switchNs = `${tag}-switch`;
  }

  /** Creates the switch namespace with its bridge, then one namespace per role (addresses .10, .11, …). */
  create(roles: string[]): void {
    this.addNamespace(this.switchNs);
    run(["-n", this.switchNs, "link", "add", "br0", "type", "bridge"]);
    run(["-n", this.switchNs, "link", "set", "br0", "up"]);
    roles.forEach((role, i) => {
      const ns = `${this.tag}-${role}`;
      const ip = `${SUBNET}.${10 + i}`;
      this.addNamespace(ns);
      run(["-n", this.switchNs, "link", "add", `port${i}`, "type", "veth", "peer", "name", "eth0", "netns", ns]);
      run(["-n", this.switchNs, "link", "set", `port${i}`, "master", "br0", "up"]);
      run(["-n", ns, "link", "set", "lo", "up"]);
      run(["-n", ns, "addr", "add", `${ip}/24`, "dev", "eth0"]);
      run(["-n", ns, "link", "set", "eth0", "up"]);
      this.hosts.set(role, { role, ns, ip });
    });
  }

  host(role: string): Host {
    const host = this.hosts.get(role);
    if (!host) throw new Error(`no host ${role}`);
    return host;
  }

  /** Runs `cmd` inside the host's namespace and waits for it; throws on a non-zero exit. */
  execSync(role: string, cmd: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): string {
    const done = spawnSync("ip", ["netns", "exec", this.host(role).ns, ...cmd], { encoding: "utf8", env: options.env ?? process.env, cwd: options.cwd });
    if (done.status !== 0) throw new Error(`${role}: ${cmd.join(" ")}: ${(done.stderr || done.stdout).trim().slice(-2000)}`);
    return done.stdout;
  }

  /**
   * Starts a long-running process in the host's namespace (`ip netns exec` execs it, so the pid
   * is the process itself); its output goes to `logFile`. With `ipc` the child gets a Node IPC channel.
   */
  spawn(role: string, cmd: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; logFile: string; ipc?: boolean }): ChildProcess {
    const log = openSync(options.logFile, "a");
    const child = spawn("ip", ["netns", "exec", this.host(role).ns, ...cmd], {
      env: options.env,
      cwd: options.cwd,
      stdio: options.ipc ? ["ignore", log, log, "ipc"] : ["ignore", log, log],
    });
    closeSync(log);
    this.children.push(child);
    return child;
  }

  /** Something to run during `destroy`, before the namespaces go (e.g. `pg_ctl stop`). */
  onDestroy(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  /** Stops one process: SIGTERM, then SIGKILL after `graceMs`. */
  async stop(child: ChildProcess, graceMs = 8000): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Stops every process (gracefully first), runs the cleanups, deletes every namespace. Idempotent. */
  async destroy(): Promise<void> {
    await Promise.all(this.children.splice(0).reverse().map((child) => this.stop(child).catch(() => {})));
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      try {
        cleanup();
      } catch (err) {
        console.error(`cleanup: ${(err as Error).message}`);
      }
    }
    this.destroySync();
  }

  /** The last resort (a second Ctrl-C, an exit): SIGKILL what is left, run cleanups, delete the namespaces. */
  destroySync(): void {
    for (const child of this.children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      try {
        cleanup();
      } catch {
        // best effort on the way out
      }
    }
    for (const ns of this.namespaces.splice(0).reverse()) spawnSync("ip", ["netns", "del", ns]);
  }

  private addNamespace(ns: string): void {
    run(["netns", "add", ns]);
    this.namespaces.push(ns);
  }
}

/** Whether this process may create namespaces (root with `ip` on the PATH). */
export function canCreateNamespaces(): string | null {
  if (process.getuid?.() !== 0) return "bench:cluster needs root (ip netns add)";
  if (spawnSync("ip", ["-V"]).status !== 0) return "bench:cluster needs iproute2 (`ip`)";
  return null;
}
