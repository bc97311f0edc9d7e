// `npm run check:layers`: fails when an import breaks the one-way dependency rule of
// docs/architecture.md. `npm test` runs it first. The rules:
//
//   1. shared/ imports nothing from backend/, game-server/, web/ or prisma/.
//   2. Production code (<app>/src outside *.test.ts, and scripts/) imports no test kit
//      (a file under a test/ or test-kit/ folder, named *test-kit*, or a *.test.ts).
//   3. backend/ and game-server/ never import each other (their contracts live in
//      shared/src/contracts/); web/src imports only shared/.
//   4. A backend/src feature folder imports only folders below it in BACKEND_LAYERS. Files at
//      the root of backend/src are the composition root (may import any folder); folders may
//      import only its shared parts (BACKEND_ROOT_SHARED).
//
// A known violation is listed in KNOWN_VIOLATIONS with its reason; one that no longer occurs
// must be taken off the list (the check says so), so the list stays true.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * backend/src feature folders, lowest first: a folder may import only from folders listed
 * before it. A new folder must be placed here (an unlisted folder fails the check).
 */
export const BACKEND_LAYERS = [
  "audit", // the audit trail: every feature records to it
  "keys", // identity signing/verification keys
  "http", // HTTP plumbing: validation, OpenAPI registry, error and identity middleware, health, JWKS
  "metrics", // Prometheus registry and the scoreboard's metrics
  "leaderboard", // rank caches, the committed-score bus and the leaderboard read service
  "scoreboard", // the live scoreboard socket hub
  "scores", // score submission and the group-committed score service
  "progression", // profile points ledger, daily bonus, skins
  "auth", // accounts, sessions, login (grants the daily bonus)
  "admin", // bans, flags, the review queue
  "internal", // the game server's routes (service token) onto the score service
  "matches", // match records from the game server, match history
  "chat", // the room chat audit trail
  "web", // serves the built players' page
] as const;

/** Files at the root of backend/src every folder may import: configuration, logger, the component contract. */
export const BACKEND_ROOT_SHARED = ["config.ts", "logger.ts", "backend-context.ts"];

export interface KnownViolation {
  from: string;
  to: string;
  reason: string;
}

/** Imports that break rule 4 today, each with why; remove an entry when its import is gone. */
export const KNOWN_VIOLATIONS: KnownViolation[] = [];

export interface Violation {
  rule: string;
  from: string;
  to: string;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SCANNED = ["shared", "backend", "game-server", "web", "prisma", "scripts", "test"];
const SKIPPED_DIRS = new Set(["node_modules", "generated", "dist", ".data"]);
/**
 * Workspace package → folder its bare import resolves into, and the subpaths its package.json
 * exports from elsewhere (a test-only export points into a test-kit/ folder, so rule 2 sees it).
 */
const PACKAGES: Record<string, { dir: string; main: string; subpaths?: Record<string, string> }> = {
  "@arena/shared": { dir: "shared/src", main: "shared/src/index.ts" },
  "@arena/backend": { dir: "backend/src", main: "backend/src/index.ts" },
  "@arena/game-server": { dir: "game-server/src", main: "game-server/src/index.ts" },
  "@arena/db": { dir: "prisma/src", main: "prisma/src/index.ts", subpaths: { "test-database": "prisma/test-kit/test-database.ts" } },
  "@arena/web": { dir: "web/src", main: "web/src/main.ts" },
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIPPED_DIRS.has(name) || name.startsWith(".")) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/** Module specifiers of static imports, re-exports, side-effect imports and dynamic imports. */
export function importsOf(source: string): string[] {
  const specs: string[] = [];
  const pattern = /(?:^|[\s;])(?:import|export)\s[^"'`;]*?from\s*["']([^"']+)["']|(?:^|[\s;])import\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/gm;
  for (const match of source.matchAll(pattern)) specs.push(match[1] ?? match[2] ?? match[3]);
  return specs;
}

/** Repository-relative path an import points at, or null for a third-party package. */
function resolve(fromFile: string, spec: string): string | null {
  if (spec.startsWith(".")) return path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec));
  for (const [name, target] of Object.entries(PACKAGES)) {
    if (spec === name) return target.main;
    if (spec.startsWith(name + "/")) {
      const subpath = spec.slice(name.length + 1);
      return target.subpaths?.[subpath] ?? `${target.dir}/${subpath}`;
    }
  }
  return null;
}

const workspace = (file: string) => file.split("/")[0];
const isTestFile = (file: string) => file.endsWith(".test.ts");
const isTestKit = (file: string) => isTestFile(file) || /(^|\/)(test|test-kit)\//.test(file) || /test-kit/.test(path.posix.basename(file));
const isProduction = (file: string) => (/^[^/]+\/src\//.test(file) || workspace(file) === "scripts") && !isTestFile(file);

/** The backend/src layer of a file: a folder name, "(root)" for a root file, or null outside backend/src. */
function backendPlace(file: string): string | null {
  const match = /^backend\/src\/(.+)$/.exec(file);
  if (!match) return null;
  const parts = match[1].split("/");
  return parts.length === 1 ? "(root)" : parts[0];
}

/** Every import that breaks a rule, in files under `base` (the repository root by default). */
export function checkLayers(base = root): Violation[] {
  const violations: Violation[] = [];
  const layers: readonly string[] = BACKEND_LAYERS;
  for (const top of SCANNED) {
    let files: string[];
    try {
      files = sourceFiles(path.join(base, top));
    } catch {
      continue;
    }
    for (const full of files) {
      const from = path.relative(base, full).split(path.sep).join("/");
      for (const spec of importsOf(readFileSync(full, "utf8"))) {
        const to = resolve(from, spec);
        if (!to) continue;
        const fromWs = workspace(from);
        const toWs = workspace(to);
        if (fromWs === "shared" && ["backend", "game-server", "web", "prisma"].includes(toWs)) {
          violations.push({ rule: "shared/ imports no app and no database code", from, to });
        }
        if (isProduction(from) && isTestKit(to)) {
          violations.push({ rule: "production code imports no test kit", from, to });
        }
        if ((fromWs === "backend" && toWs === "game-server") || (fromWs === "game-server" && toWs === "backend")) {
          violations.push({ rule: "backend/ and game-server/ meet only in shared/src/contracts/", from, to });
        }
        if (from.startsWith("web/src/") && toWs !== "web" && toWs !== "shared") {
          violations.push({ rule: "web/src imports only shared/", from, to });
        }
        const fromPlace = backendPlace(from);
        const toPlace = backendPlace(to);
        if (fromPlace && toPlace && fromPlace !== "(root)" && fromPlace !== toPlace) {
          if (!layers.includes(fromPlace)) {
            violations.push({ rule: `backend folder "${fromPlace}" is not placed in BACKEND_LAYERS`, from, to });
          } else if (toPlace === "(root)") {
            if (!BACKEND_ROOT_SHARED.includes(path.posix.basename(to))) {
              violations.push({ rule: "a backend folder imports no composition-root file", from, to });
            }
          } else if (!layers.includes(toPlace) || layers.indexOf(toPlace) > layers.indexOf(fromPlace)) {
            violations.push({ rule: `backend "${fromPlace}" imports "${toPlace}", which is above it in BACKEND_LAYERS`, from, to });
          }
        }
      }
    }
  }
  return violations;
}

/** Splits found violations into new ones and known ones, and lists known ones that no longer occur. */
export function judge(found: Violation[], known: KnownViolation[] = KNOWN_VIOLATIONS) {
  const isKnown = (v: Violation) => known.some((k) => k.from === v.from && k.to === v.to);
  const fresh = found.filter((v) => !isKnown(v));
  const stale = known.filter((k) => !found.some((v) => v.from === k.from && v.to === k.to));
  return { fresh, stale, known: found.filter(isKnown) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { fresh, stale, known } = judge(checkLayers());
  for (const v of fresh) console.error(`✗ ${v.from} → ${v.to}: ${v.rule}`);
  for (const k of stale) console.error(`✗ ${k.from} → ${k.to} is listed in KNOWN_VIOLATIONS but no longer imported: remove the entry`);
  if (fresh.length || stale.length) {
    console.error(`check:layers: ${fresh.length} new violation(s), ${stale.length} stale entr(y/ies) (rules: docs/architecture.md)`);
    process.exit(1);
  }
  console.log(`check:layers: ok (${known.length} known violation(s) listed with reasons in scripts/check-layers.ts)`);
}
