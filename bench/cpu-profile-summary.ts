// Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. `npm run bench:ratios -- --cpu-prof=fanout`):
// self time by package / Node internals, and the top functions by self time, as Markdown tables.
// Usage: node --import tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--top=15]
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: an npm package, the project, Node itself, or V8's own buckets. */
function owner(url: string, name: string): string {
  if (!url) return name.startsWith("(") ? name : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith("node:")) return "node internals";
  const app = /\/(shared|backend|game-server|prisma|bench)\/src\//.exec(url) ?? /\/(bench)\//.exec(url);
  return app ? `project: ${app[1]}` : url;
}

const file = process.argv[2];
if (!file) throw new Error("usage: cpu-profile-summary.ts <file.cpuprofile> [--top=15]");
const top = Number(process.argv.find((a) => a.startsWith("--top="))?.slice(6) ?? 15);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const idle = [...selfUs].filter(([id]) => byId.get(id)!.callFrame.functionName === "(idle)").reduce((a, [, us]) => a + us, 0);
const busy = total - idle;

const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
const owners = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  if (functionName === "(idle)") continue;
  add(owners, owner(url, functionName), us);
  add(functions, `${functionName || "(anonymous)"} — ${url ? `${url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*?\/(shared|backend|game-server|prisma|bench)\//, "$1/")}:${lineNumber + 1}` : "native"}`, us);
}
const share = (us: number) => `${((100 * us) / busy).toFixed(1)} %`;
const rowsOf = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `| ${k} | ${share(us)} |`);
console.log(`Profile ${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((100 * busy) / total).toFixed(0)} %).\n`);
console.log(["| where (self time) | share of busy time |", "|---|---|", ...rowsOf(owners)].join("\n"));
console.log();
console.log(["| function (self time) | share of busy time |", "|---|---|", ...rowsOf(functions)].join("\n"));
