// The multi-process launcher's process manager: a child that exits is restarted with
// growing delays, and stop() reaches every child and waits for it.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { restartDelay, Supervisor } from "../scripts/supervisor.ts";

describe("supervisor", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "arena-sup-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("doubles the restart delay up to its cap", () => {
    assert.deepEqual([0, 1, 2, 3, 10].map((n) => restartDelay(n, 100, 1000)), [100, 200, 400, 800, 1000]);
  });

  it("restarts a child that exits, logging each exit, and stops a running one with SIGTERM", async () => {
    const lines: string[] = [];
    const marks = path.join(dir, "marks");
    // Exits at once twice (one line appended per start), then stays up and records the SIGTERM it gets.
    const program = `
      const fs = require("node:fs");
      process.on("SIGTERM", () => { fs.appendFileSync(${JSON.stringify(marks)}, "sigterm\\n"); process.exit(0); });
      fs.appendFileSync(${JSON.stringify(marks)}, "start\\n");
      const starts = fs.readFileSync(${JSON.stringify(marks)}, "utf8").split("\\n").filter((l) => l === "start").length;
      if (starts < 3) process.exit(3);
      setInterval(() => {}, 1000);`;
    const supervisor = new Supervisor({ cwd: dir, log: (line) => lines.push(line), baseBackoffMs: 20, maxBackoffMs: 1000 });
    supervisor.add({ name: "flaky", args: ["-e", program], env: process.env });
    const starts = () => (existsSync(marks) ? readFileSync(marks, "utf8").split("\n").filter((l) => l === "start").length : 0);
    for (let i = 0; i < 200 && starts() < 3; i++) await new Promise((r) => setTimeout(r, 50));
    await supervisor.stop();
    assert.deepEqual(readFileSync(marks, "utf8").trim().split("\n"), ["start", "start", "start", "sigterm"]);
    assert.ok(lines.some((l) => /^flaky exited \(code 3\); restart 1 in 20 ms$/.test(l)), lines.join("\n"));
    assert.ok(lines.some((l) => /^flaky exited \(code 3\); restart 2 in 40 ms$/.test(l)), lines.join("\n"));
    assert.ok(lines.includes("flaky stopped (0)"), lines.join("\n"));
  });
});
