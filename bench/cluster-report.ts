// The table of bench/cluster.ts and its section in docs/benchmarks.md.
import { readFileSync, writeFileSync } from "node:fs";
import type { PhaseResult } from "./cluster-clients.ts";

/** One phase's figures: what the clients saw plus what the hosts did meanwhile. */
export interface PhaseReport {
  label: string;
  result: PhaseResult;
  /** score_history rows of this phase's players, and when the last one was written (epoch ms). */
  commits: number;
  lastCommitMs: number;
  /** CPU per host over the phase, in cores (1.0 = one core busy). */
  cpu: Record<string, number>;
  redisOpsPerSecond: number;
  redisMemory: string;
  pgCommitsPerSecond: number;
}

export interface ClusterSettings {
  players: number;
  perRoom: number;
  matches: number;
  rate: number;
  durationMs: number;
  watchers: number;
}

function p95(values: number[]): string {
  if (values.length === 0) return "–";
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))].toFixed(1);
}

const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");

/** A markdown table: one row per figure, one column per phase. */
export function clusterTable(reports: PhaseReport[], settings: ClusterSettings): string {
  const rows: Array<[string, (r: PhaseReport) => string]> = [
    ["rooms per game-server address", (r) => Object.entries(r.result.roomsByAddress).map(([a, n]) => `${a} ${n}`).join(", ")],
    ["matches played", (r) => String(r.result.matches)],
    ["matches/s", (r) => fixed(r.result.matches / ((r.result.playEnd - r.result.playStart) / 1000), 2)],
    ["points accepted/s", (r) => fixed(r.result.pointsAccepted / ((r.result.playEnd - r.result.playStart) / 1000))],
    ["score commits (saved results → score_history rows)", (r) => `${r.commits} / ${r.result.resultsSaved}`],
    ["score commits/s (play start → last commit)", (r) => fixed(r.commits / Math.max(0.001, (r.lastCommitMs - r.result.playStart) / 1000))],
    ["login p95, ms", (r) => p95(r.result.lat.login)],
    ["ticket p95, ms", (r) => p95(r.result.lat.ticket)],
    ["join (matchmake + WebSocket) p95, ms", (r) => p95(r.result.lat.join)],
    ["point round trip p95, ms", (r) => p95(r.result.lat.point)],
    [`match (start → placements) p95, ms (game ${settings.durationMs} ms)`, (r) => p95(r.result.lat.match)],
    ["scoreboard update delay p95, ms (commit → watcher)", (r) => p95(r.result.lat.scoreboard)],
    ["LEADERBOARD_UPDATEs received per backend", (r) => Object.values(r.result.updatesByBackend).join(" / ")],
    ["CPU, cores: db host (PostgreSQL + Redis)", (r) => fixed(r.cpu.db, 2)],
    ["CPU, cores: backend-1 / backend-2", (r) => `${fixed(r.cpu["backend-1"], 2)} / ${fixed(r.cpu["backend-2"], 2)}`],
    ["CPU, cores: game-1 / game-2", (r) => `${fixed(r.cpu["game-1"], 2)} / ${fixed(r.cpu["game-2"], 2)}`],
    ["CPU, cores: clients (the load generator, one Node process)", (r) => fixed(r.cpu.clients, 2)],
    ["Redis commands/s, memory", (r) => `${fixed(r.redisOpsPerSecond, 0)}, ${r.redisMemory}`],
    ["PostgreSQL commits/s", (r) => fixed(r.pgCommitsPerSecond, 0)],
    ["errors by kind", (r) => Object.entries(r.result.errors).map(([kind, n]) => `${kind}: ${n}`).join("; ")],
  ];
  const header = `| ${settings.players} players, rooms of ${settings.perRoom}, ${settings.matches} matches each, ${settings.rate} points/s | ${reports.map((r) => `${r.label} (backends + game servers)`).join(" | ")} |`;
  return [header, `|---|${reports.map(() => "---").join("|")}|`, ...rows.map(([name, cell]) => `| ${name} | ${reports.map(cell).join(" | ")} |`)].join("\n");
}

const HEADING = "## Cluster across namespaces";

/** Replaces (or appends) the "Cluster across namespaces" run block in docs/benchmarks.md, keeping the prose above it. */
export function writeBenchmarksSection(file: string, run: { command: string; date: string; load: string; table: string; settings: ClusterSettings }): void {
  const text = readFileSync(file, "utf8");
  const block = `<!-- cluster:begin -->\n\`${run.command}\`, ${run.date}, load average ${run.load}:\n\n${run.table}\n<!-- cluster:end -->`;
  if (text.includes("<!-- cluster:begin -->")) {
    writeFileSync(file, text.replace(/<!-- cluster:begin -->[\s\S]*<!-- cluster:end -->/, block));
  } else {
    writeFileSync(file, `${text.trimEnd()}\n\n${HEADING}\n\n${block}\n`);
  }
}
