// `npm run bench:ratios -- --smoke` as users run it: every pair runs at tiny N and prints a number
// (or, for the PostgreSQL rows without DATABASE_URL, says why it was skipped). No figure is judged.
import { execFile } from "node:child_process";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

describe("bench:ratios --smoke", function () {
  this.timeout(240_000);

  it("runs every pair and prints a ratio for each row", async () => {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["--import", "tsx", "bench/ratios.ts", "--smoke"], { cwd: root, env: process.env, maxBuffer: 8 << 20 }, (err, out, errOut) =>
        err ? reject(new Error(`${err.message}\n${out}\n${errOut}`)) : resolve(out),
      ),
    );
    const rows = stdout.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| path"));
    const paths = ["/ws/scoreboard fan-out", "GET /api/scoreboard", "point events through a room", "joins", "POST /api/scores"];
    for (const p of paths) assert.ok(rows.some((r) => r.startsWith(`| ${p}`)), `no row for ${p}:\n${stdout}`);
    for (const line of rows) {
      const cells = line.split("|").map((c) => c.trim());
      if (line.startsWith("| POST /api/scores") && !process.env.DATABASE_URL) {
        assert.match(cells[3], /^skipped: DATABASE_URL is not set$/, line);
        continue;
      }
      assert.match(cells[5], /^\d+\.\d\d$/, `no ratio in: ${line}`);
      assert.ok(Number(cells[5]) > 0, `ratio not positive: ${line}`);
      assert.match(cells[3], /\d/, line);
      assert.match(cells[4], /\d/, line);
    }
    // Each of the targets is printed beside its ratio, judged.
    const judged = (p: string, metric: string) => rows.find((r) => r.startsWith(`| ${p}`) && r.includes(`| ${metric} |`));
    for (const [p, metric, target] of [["GET /api/scoreboard", "requests/s", "0.8"], ["point events through a room", "events/s", "0.7"], ["joins", "server CPU per join", "0.8"]]) {
      const line = judged(p, metric);
      assert.ok(line, `no ${metric} row for ${p}`);
      assert.match(line.split("|")[6].trim(), new RegExp(`^≥ ${target}: (met|\\*\\*not met\\*\\*)$`), line);
    }
    assert.match(stdout, /^Targets: \d+ of \d+ met/m);
  });
});
