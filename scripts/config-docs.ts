// `npm run -s config:docs`: the configuration tables of the README, generated from the two
// config modules (key, default, doc comment), so the README cannot drift from the code.
// test/readme.test.ts fails when the README lacks a key.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadBackendConfig } from "@arena/backend";
import { loadConfig as loadGameConfig } from "@arena/game-server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface ConfigRow {
  key: string;
  default: string;
  doc: string;
}

/** Doc comments (`/** … *\/` right above `KEY:`) of a config module, by key. */
function docComments(file: string): Map<string, string> {
  const source = readFileSync(path.join(root, file), "utf8");
  const docs = new Map<string, string>();
  for (const match of source.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*?)\*\/\s*\n\s*([A-Z][A-Z0-9_]*):/g)) {
    docs.set(match[2], match[1].replace(/\s*\n\s*\*\s?/g, " ").trim());
  }
  return docs;
}

function show(value: unknown): string {
  if (value === undefined) return "—";
  if (Array.isArray(value)) return value.length ? value.join(",") : "—";
  const text = String(value);
  if (text.includes("web/dist")) return "web/dist";
  return text === "" ? '""' : text;
}

function rows(defaults: Record<string, unknown>, docs: Map<string, string>): ConfigRow[] {
  return [...docs.keys()].map((key) => ({ key, default: show(defaults[key]), doc: docs.get(key) ?? "" }));
}

export function backendConfigRows(): ConfigRow[] {
  return rows(loadBackendConfig({}), docComments("backend/src/config.ts"));
}

export function gameServerConfigRows(): ConfigRow[] {
  return rows(loadGameConfig({}), docComments("game-server/src/config.ts"));
}

function table(list: ConfigRow[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  return ["| key | default | meaning |", "|---|---|---|", ...list.map((r) => `| \`${r.key}\` | \`${cell(r.default)}\` | ${cell(r.doc)} |`)].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log("### Backend (`backend/src/config.ts`)\n");
  console.log(table(backendConfigRows()));
  console.log("\n### Game server (`game-server/src/config.ts`)\n");
  console.log(table(gameServerConfigRows()));
}
