// Summarises a V8 .heapsnapshot (e.g. `npm run bench:capacity -- --only=players --players=1000,3000
// --snapshot=DIR`): by constructor, the instances, their own size and what they retain (dominator
// tree, weak edges ignored; an instance inside another of its kind is counted once, in the outer
// one), as a Markdown table. With --base=<other.heapsnapshot> each row is the difference from that
// snapshot (e.g. the bare Colyseus room at the same number of seats); with --per=N, also ÷ N. With
// --inside=Class, a third table splits what the instances of Class retain by their fields (the
// objects they alone keep alive, by the field that holds them, or by class when held deeper).
// Usage: node --import tsx bench/heap-snapshot-summary.ts <file.heapsnapshot> [--base=FILE] [--per=N] [--top=25] [--inside=Class]
import { readFileSync } from "node:fs";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Per class: instances, their own bytes, and the bytes they keep alive. */
interface ClassRow {
  count: number;
  self: number;
  retained: number;
}

/** By class, and for --inside, what its instances retain by field. */
function summarise(file: string, inside?: string): { rows: Map<string, ClassRow>; parts: Map<string, ClassRow> } {
  const snap = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const { meta } = snap.snapshot;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const [nType, nName, nSelf, nEdges] = ["type", "name", "self_size", "edge_count"].map((f) => meta.node_fields.indexOf(f));
  const [eType, eName, eTo] = ["type", "name_or_index", "to_node"].map((f) => meta.edge_fields.indexOf(f));
  const edgeTypes = meta.edge_types[0];
  const nodeTypes = meta.node_types[0];
  const weak = meta.edge_types[0].indexOf("weak");
  const count = snap.nodes.length / nf;
  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0; i < count; i++) firstEdge[i + 1] = firstEdge[i] + snap.nodes[i * nf + nEdges];
  const targets = (i: number, visit: (to: number) => void) => {
    for (let e = firstEdge[i]; e < firstEdge[i + 1]; e++) {
      if (snap.edges[e * ef + eType] !== weak) visit(snap.edges[e * ef + eTo] / nf);
    }
  };

  // Reverse postorder from the root (node 0), iteratively.
  const order = new Int32Array(count).fill(-1);
  const post: number[] = [];
  const stack: number[] = [0];
  const cursor = new Uint32Array(count);
  const seen = new Uint8Array(count);
  seen[0] = 1;
  for (let i = 0; i < count; i++) cursor[i] = firstEdge[i];
  while (stack.length) {
    const i = stack.at(-1)!;
    let pushed = false;
    while (cursor[i] < firstEdge[i + 1]) {
      const e = cursor[i]++;
      if (snap.edges[e * ef + eType] === weak) continue;
      const to = snap.edges[e * ef + eTo] / nf;
      if (seen[to]) continue;
      seen[to] = 1;
      stack.push(to);
      pushed = true;
      break;
    }
    if (!pushed) post.push(stack.pop()!);
  }
  post.forEach((node, k) => (order[node] = k));
  const preds: number[][] = Array.from({ length: count }, () => []);
  for (const i of post) targets(i, (to) => preds[to].push(i));

  // Cooper, Harvey and Kennedy's iterative dominators, in postorder numbers.
  const idom = new Int32Array(post.length).fill(-1);
  const root = order[0];
  idom[root] = root;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (a < b) a = idom[a];
      while (b < a) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = post.length - 2; k >= 0; k--) {
      let dom = -1;
      for (const p of preds[post[k]]) {
        const pk = order[p];
        if (pk < 0 || idom[pk] < 0) continue;
        dom = dom < 0 ? pk : intersect(pk, dom);
      }
      if (dom >= 0 && idom[k] !== dom) (idom[k] = dom), (changed = true);
    }
  }

  const classOf = (i: number) => {
    const type = nodeTypes[snap.nodes[i * nf + nType]];
    const name = snap.strings[snap.nodes[i * nf + nName]];
    if (type === "object" || type === "native" || type === "closure") return `${type === "object" ? "" : `(${type}) `}${type === "closure" ? "" : name}`;
    return `(${type})`;
  };
  const retained = new Float64Array(post.length);
  for (let k = 0; k < post.length; k++) retained[k] += snap.nodes[post[k] * nf + nSelf];
  for (let k = 0; k < post.length; k++) if (k !== root) retained[idom[k]] += retained[k];

  const rows = new Map<string, ClassRow>();
  const names = post.map(classOf);
  for (let k = post.length - 1; k >= 0; k--) {
    const name = names[k];
    const row = rows.get(name) ?? { count: 0, self: 0, retained: 0 };
    row.count++;
    row.self += snap.nodes[post[k] * nf + nSelf];
    // Counted only when no dominator of it is of its own class.
    let d = idom[k];
    while (d !== root && names[d] !== name) d = idom[d];
    if (d === root) row.retained += retained[k];
    rows.set(name, row);
  }
  const parts = new Map<string, ClassRow>();
  if (inside) {
    for (let k = 0; k < post.length; k++) {
      const owner = idom[k];
      if (k === root || names[owner] !== inside) continue;
      let field = "";
      for (let e = firstEdge[post[owner]]; e < firstEdge[post[owner] + 1]; e++) {
        if (snap.edges[e * ef + eTo] / nf !== post[k]) continue;
        const type = edgeTypes[snap.edges[e * ef + eType]];
        const n = snap.edges[e * ef + eName];
        field = type === "element" || type === "hidden" ? `[${type}]` : `.${snap.strings[n]}`;
        break;
      }
      const key = `${field || "(deeper)"} ${names[k]}`;
      const part = parts.get(key) ?? { count: 0, self: 0, retained: 0 };
      part.count++;
      part.self += snap.nodes[post[k] * nf + nSelf];
      part.retained += retained[k];
      parts.set(key, part);
    }
  }
  return { rows, parts };
}

const argv = process.argv.slice(2);
const opt = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const file = argv.find((a) => !a.startsWith("--"));
if (!file) throw new Error("usage: heap-snapshot-summary.ts <file.heapsnapshot> [--base=FILE] [--per=N] [--top=25]");
const top = Number(opt("top") ?? 25);
const per = Number(opt("per") ?? 1);
const inside = opt("inside");
const { rows, parts } = summarise(file, inside);
const baseFile = opt("base");
const base = baseFile ? summarise(baseFile).rows : new Map<string, ClassRow>();
const zero: ClassRow = { count: 0, self: 0, retained: 0 };
const diff = [...new Set([...rows.keys(), ...base.keys()])].map((name) => {
  const a = rows.get(name) ?? zero;
  const b = base.get(name) ?? zero;
  return { name, count: a.count - b.count, self: a.self - b.self, retained: a.retained - b.retained };
});
const fmt = (bytes: number) => (per > 1 ? `${(bytes / per).toFixed(0)} B` : `${(bytes / 2 ** 20).toFixed(2)} MB`);
const table = (title: string, key: "self" | "retained") => [
  `| ${title}${baseFile ? " (minus base)" : ""} | instances${per > 1 ? ` ÷ ${per}` : ""} | own size${per > 1 ? " each seat" : ""} | retained${per > 1 ? " each seat" : ""} |`,
  "|---|---|---|---|",
  ...[...diff].sort((x, y) => Math.abs(y[key]) - Math.abs(x[key])).slice(0, top)
    .map((r) => `| ${r.name.replace(/\|/g, "\\|").slice(0, 80) || "(anonymous)"} | ${per > 1 ? (r.count / per).toFixed(2) : r.count} | ${fmt(r.self)} | ${fmt(r.retained)} |`),
].join("\n");
const total = (m: Map<string, ClassRow>) => [...m.values()].reduce((s, r) => s + r.self, 0);
console.log(`${file}: ${(total(rows) / 2 ** 20).toFixed(1)} MB in the snapshot${baseFile ? `, base ${(total(base) / 2 ** 20).toFixed(1)} MB` : ""}${per > 1 ? `; per seat ${((total(rows) - total(base)) / per / 1024).toFixed(1)} KB` : ""}.\n`);
console.log(table("by own size", "self"));
console.log();
console.log(table("by retained size", "retained"));
if (inside) {
  console.log();
  console.log([
    `| inside ${inside}: field and class | objects${per > 1 ? ` ÷ ${per}` : ""} | retained${per > 1 ? " each seat" : ""} |`,
    "|---|---|---|",
    ...[...parts].sort((x, y) => y[1].retained - x[1].retained).slice(0, top)
      .map(([name, r]) => `| ${name.replace(/\|/g, "\\|").slice(0, 80)} | ${per > 1 ? (r.count / per).toFixed(2) : r.count} | ${fmt(r.retained)} |`),
  ].join("\n"));
}
