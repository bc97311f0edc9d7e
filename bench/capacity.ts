// npm run bench:capacity — idle connections one server process holds, beside its bare baseline:
// seated players (rooms of 4, pinging every --heartbeat ms) on one game server vs the bare
// Colyseus echo room, and scoreboard viewers on one backend vs the bare `ws` server. After each
// step it reports the server's RSS growth per added connection and its event-loop delay p99 over a
// --window of seconds, then its heap used right after a forced full GC (steady, unlike RSS) and that
// heap's growth per added connection. Options: --players=1000,2500,5000,10000
// --viewers=5000,10000,20000 --heartbeat=5000 --window=5 --only=players,viewers --smoke
// --snapshot=DIR (a V8 heap snapshot of each server after each step: compare two steps of one
// server with bench/heap-snapshot-summary.ts --base to see what the added connections retain;
// writing a snapshot grows RSS, so such a run's RSS figures are not comparable).
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { signIdentityToken } from "@arena/shared/tokens/identity-token";
import { benchDir, startServer, type ServerHandle } from "./bench-children.ts";
import type { CapacityJob } from "./capacity-clients.ts";
import type { ServerJob } from "./ratios-server.ts";

const argv = process.argv.slice(2);
const opt = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const smoke = argv.includes("--smoke");
const list = (name: string, fallback: string) => (opt(name) ?? fallback).split(",").map(Number);
const heartbeatMs = Number(opt("heartbeat") ?? 5000);
const windowSeconds = Number(opt("window") ?? (smoke ? 1 : 5));
const only = new Set((opt("only") ?? "players,viewers").split(","));
const snapshotDir = opt("snapshot");
/** Each connection is one file in the server and one in the client process. */
const fileLimit = Number(execFileSync("sh", ["-c", "ulimit -n"]).toString().trim()) || Infinity;

function capped(steps: number[]): number[] {
  const cap = fileLimit - 1000;
  if (steps.some((n) => n > cap)) console.log(`ulimit -n is ${fileLimit} (hard limit here): steps capped at ${cap} connections.`);
  return [...new Set(steps.map((n) => Math.min(n, cap)))];
}

interface Step {
  open: number;
  failed: number;
  rss: number;
  rssMb: number;
  /** RSS growth since the previous step ÷ connections added, KB. */
  kbPerConnection: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** Heap used after a forced full GC, bytes. */
  heap: number;
  /** ArrayBuffers (socket buffers) after that GC, bytes. */
  buffers: number;
  /** Heap growth since the previous step ÷ connections added, KB. */
  heapKbPerConnection: number;
  /** ArrayBuffer growth since the previous step ÷ connections added, KB (outside the heap, inside RSS). */
  buffersKbPerConnection: number;
}

const kb = (bytes: number, connections: number) => bytes / 1024 / Math.max(1, connections);

async function measure(server: ServerHandle, job: CapacityJob, steps: number[]): Promise<Step[]> {
  const child: ChildProcess = fork(path.join(benchDir, "capacity-clients.ts"), [], { execArgv: ["--import", "tsx", "--max-old-space-size=8192"] });
  const reply = <T>(key: string) => new Promise<T>((resolve) => {
    const listener = (m: Record<string, unknown>) => m?.[key] !== undefined && (child.off("message", listener), resolve(m[key] as T));
    child.on("message", listener);
  });
  const ready = reply("ready");
  child.send(job);
  await ready;
  const window = async () => {
    server.mark();
    await new Promise((r) => setTimeout(r, windowSeconds * 1000));
    return server.stats();
  };
  const base = { ...(await window()), ...(await server.collected()) };
  const out: Step[] = [];
  try {
    for (const n of steps) {
      const grown = reply<{ open: number; failed: number; reasons: Record<string, number> }>("grown");
      child.send({ grow: n });
      const { open, failed, reasons } = await grown;
      if (failed) console.log(`  failures so far, by reason: ${JSON.stringify(reasons)}`);
      const s = await window();
      // After the lag window, so the forced GC's pause is not in it.
      const { heapUsed: heap, arrayBuffers: buffers } = await server.collected();
      // Growth since the previous step ÷ connections added: the server's start-up memory (PGlite's
      // migrations, module loading) settles in the first seconds and would skew a figure from zero.
      const before = out.at(-1) ?? { open: 0, rss: base.rss, heap: base.heapUsed, buffers: base.arrayBuffers };
      const added = open - before.open;
      const step: Step = {
        open, failed, rss: s.rss, rssMb: s.rss / 2 ** 20, kbPerConnection: kb(s.rss - before.rss, added), lagP99Ms: s.lagP99Ms, lagMaxMs: s.lagMaxMs,
        heap, buffers, heapKbPerConnection: kb(heap - before.heap, added), buffersKbPerConnection: kb(buffers - before.buffers, added),
      };
      out.push(step);
      console.log(`  ${open} open (${failed} failed): RSS ${step.rssMb.toFixed(0)} MB, ${step.kbPerConnection.toFixed(1)} KB each, event-loop delay p99 ${s.lagP99Ms.toFixed(1)} ms; after GC heap ${(heap / 2 ** 20).toFixed(1)} MB, ${step.heapKbPerConnection.toFixed(1)} KB each, buffers ${(buffers / 2 ** 20).toFixed(1)} MB`);
      // After the step's figures: writing a snapshot allocates, and its pause is no load's.
      if (snapshotDir) console.log(`  heap snapshot at ${open} open: ${await server.heapSnapshot(snapshotDir)}`);
    }
    if (out.length > 1) {
      const [first, last] = [out[0], out.at(-1)!];
      const added = last.open - first.open;
      console.log(`  first → last step, per connection: RSS ${kb(last.rss - first.rss, added).toFixed(1)} KB, heap after GC ${kb(last.heap - first.heap, added).toFixed(1)} KB, buffers ${kb(last.buffers - first.buffers, added).toFixed(1)} KB`);
    }
  } finally {
    await new Promise((resolve) => (child.once("exit", resolve), child.send("stop")));
  }
  return out;
}

async function pair(label: string, project: ServerJob, bare: ServerJob, job: (server: ServerHandle) => CapacityJob, steps: number[]): Promise<string> {
  const results: Step[][] = [];
  for (const [side, serverJob] of [["project", project], ["bare", bare]] as const) {
    console.log(`${label}, ${side}:`);
    const server = await startServer(serverJob);
    try {
      results.push(await measure(server, job(server), steps));
    } finally {
      await server.stop();
    }
  }
  const cell = (s: Step | undefined) => (s ? `${s.open.toLocaleString("en-US")}${s.failed ? ` (${s.failed} failed)` : ""} | ${s.rssMb.toFixed(0)} MB | ${s.kbPerConnection.toFixed(1)} KB | ${s.lagP99Ms.toFixed(1)} ms | ${(s.heap / 2 ** 20).toFixed(1)} MB | ${s.heapKbPerConnection.toFixed(1)} KB | ${s.buffersKbPerConnection.toFixed(1)} KB` : "| | | | | |");
  const columns = "open | RSS | per connection | lag p99 | heap after GC | per connection | buffers per connection";
  return [
    `| ${label}: target | project ${columns} | bare ${columns} |`,
    `|---|${"---|".repeat(14)}`,
    ...steps.map((n, i) => `| ${n.toLocaleString("en-US")} | ${cell(results[0][i])} | ${cell(results[1][i])} |`),
  ].join("\n");
}

const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(" ");
const startedAt = new Date();
const tables: string[] = [];
if (only.has("players")) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const sid = randomUUID();
  const token = signIdentityToken({ sub: "4242", nick: "capacity", sid, role: "player" }, { kid: "capacity", privateKey }, { issuer: "arena-backend", audience: "arena", ttlSeconds: 3600 });
  const game: ServerJob = { kind: "game", pem: publicKey.export({ type: "spki", format: "pem" }) as string, sid, sub: "4242" };
  const steps = capped(list("players", smoke ? "8" : "1000,2500,5000,10000"));
  tables.push(await pair(`seated players (rooms of 4, ping every ${heartbeatMs} ms)`, game, { kind: "colyseus" }, (server) => ({ kind: "players", url: server.url, authorization: `Bearer ${token}`, heartbeatMs }), steps));
}
if (only.has("viewers")) {
  const steps = capped(list("viewers", smoke ? "20" : "5000,10000,20000"));
  tables.push(await pair("scoreboard viewers", { kind: "backend", users: 1 }, { kind: "ws", frameBytes: 200 }, (server) => ({ kind: "viewers", url: server.url }), steps));
}
const header = `Command \`npm run bench:capacity -- ${argv.join(" ")}\`, ${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC, Node ${process.version}, load average ${loadBefore} at the start and ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} at the end; lag = event-loop delay over ${windowSeconds} s after each step; per connection = growth of RSS, of heap used after a forced full GC, or of ArrayBuffer memory after it (socket and encode buffers, outside the heap) since the previous step ÷ connections added.`;
console.log(`\n${header}\n\n${tables.join("\n\n")}`);
