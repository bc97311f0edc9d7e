// `npm run -s config:docs [-- --write]`: the configuration tables of the README (printed, or
// written between its config markers), generated from the two
// config modules and the base schema they extend (key, default, doc comment), so the README cannot drift from the code.
// test/readme.test.ts fails when the README lacks a key.
import { readFileSync, writeFileSync } from "node:fs";
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

/** The keys both apps share (their base schema), listed first in both tables. */
const SHARED_CONFIG = "shared/src/contracts/shared-config.ts";

/** Doc comments (`/** … *\/` right above `KEY:`) of config modules, by key, in file order. */
function docComments(...files: string[]): Map<string, string> {
  const source = files.map((file) => readFileSync(path.join(root, file), "utf8")).join("\n");
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
  return rows(loadBackendConfig({}), docComments(SHARED_CONFIG, "backend/src/config.ts"));
}

export function gameServerConfigRows(): ConfigRow[] {
  return rows(loadGameConfig({}), docComments(SHARED_CONFIG, "game-server/src/config.ts"));
}

function table(list: ConfigRow[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  return ["| key | default | meaning |", "|---|---|---|", ...list.map((r) => `| \`${r.key}\` | \`${cell(r.default)}\` | ${cell(r.doc)} |`)].join("\n");
}

/** Both tables, as the README shows them. */
export function configMarkdown(): string {
  return [
    "### Backend (`backend/src/config.ts`)",
    "",
    table(backendConfigRows()),
    "",
    "### Game server (`game-server/src/config.ts`)",
    "",
    table(gameServerConfigRows()),
  ].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === "--write") {
    // Replaces what stands between the README's config markers.
    const readme = path.join(root, "README.md");
    const text = readFileSync(readme, "utf8");
    const begin = "<!-- config:begin -->";
    const end = "<!-- config:end -->";
    const updated = text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), `${begin}\n${configMarkdown()}\n${end}`);
    writeFileSync(readme, updated);
  } else {
    console.log(configMarkdown());
  }
}
