// `npm run test:any-day`: the time-sensitive suites under Debian's `faketime`, started at
// instants where periods roll over. The faked clock starts at the instant and keeps running,
// so each run crosses the boundary while it starts and tests. Storage follows the environment
// (embedded defaults without DATABASE_URL / REDIS_URL). Exits 1 naming every failed instant.
//   --instant "2026-12-31 23:59:59 UTC"   only this instant (repeatable)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FAKETIME = "/usr/bin/faketime";

/** Where periods, sessions and timers are most likely to disagree with a fixed assumption. */
const INSTANTS: { name: string; at: string }[] = [
  { name: "last second of a month", at: "2027-04-30 23:59:59 UTC" },
  { name: "last second of a year (and of ISO week 2026-W53's Thursday)", at: "2026-12-31 23:59:59 UTC" },
  { name: "last second of a Sunday (ISO week 2026-W53 → 2027-W01)", at: "2027-01-03 23:59:59 UTC" },
  { name: "last second of a leap day", at: "2028-02-29 23:59:59 UTC" },
];

/** The suites that read a clock: leaderboards and periods, sessions and heartbeats, tokens and tickets, match history and chat retention, game timers, outbox retries. */
const SUITES: { workspace: string; files: string[] }[] = [
  {
    workspace: "shared",
    files: [
      "src/session/session-store.test.ts",
      "src/tokens/identity-token.test.ts",
      "src/rules/game-session.test.ts",
      "src/rules/accept-point.test.ts",
      "src/rules/validate-submission.test.ts",
    ],
  },
  {
    workspace: "backend",
    files: [
      "src/leaderboard/period-keys.test.ts",
      "test/leaderboard-api.test.ts",
      "test/leaderboard-rank-cache.test.ts",
      "test/scores-api.test.ts",
      "test/scores-repository.test.ts",
      "test/auth-sessions.test.ts",
      "test/auth-cookie-rotation.test.ts",
      "test/auth-identity-middleware.test.ts",
      "test/keys-rotation.test.ts",
      "test/internal-game-results.test.ts",
      "test/matches-api.test.ts",
      "test/chat-audit.test.ts",
    ],
  },
  {
    workspace: "game-server",
    files: [
      "test/room-api.test.ts",
      "test/game-room.test.ts",
      "test/game-play.test.ts",
      "test/game-controller.test.ts",
      "test/game-clock.test.ts",
      "test/game-outbox.test.ts",
      "test/game-outbox-store-down.test.ts",
      "test/stores.test.ts",
    ],
  },
];

const { values } = parseArgs({ options: { instant: { type: "string", multiple: true } } });
const instants = values.instant?.map((at) => ({ name: at, at })) ?? INSTANTS;

if (!existsSync(FAKETIME)) {
  console.error(`test:any-day needs ${FAKETIME} (Debian: apt-get install -y faketime)`);
  process.exit(1);
}

const mocha = path.join(root, "node_modules", "mocha", "bin", "mocha.js");
const scratch = mkdtempSync(path.join(tmpdir(), "arena-any-day-"));
const failed: string[] = [];
try {
  for (const instant of instants) {
    for (const suite of SUITES) {
      const cwd = path.join(root, suite.workspace);
      // The workspace's own mocha options (tsx, setup files, timeout), with only these files.
      const own = JSON.parse(readFileSync(path.join(cwd, ".mocharc.json"), "utf8")) as Record<string, unknown>;
      const config = path.join(scratch, `${suite.workspace}.mocharc.json`);
      writeFileSync(config, JSON.stringify({ ...own, spec: suite.files, reporter: "dot" }));
      const label = `${instant.at} (${instant.name}): ${suite.workspace}`;
      console.log(`\n── ${label}`);
      const run = spawnSync(FAKETIME, [instant.at, process.execPath, mocha, "--config", config], { cwd, stdio: "inherit" });
      if (run.status !== 0) {
        failed.push(label);
        console.error(`FAILED at ${label}`);
      }
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (failed.length > 0) {
  console.error(`\ntest:any-day failed at:\n${failed.map((f) => `  ${f}`).join("\n")}`);
  process.exit(1);
}
console.log(`\ntest:any-day: every suite passed at ${instants.length} instant(s)`);
