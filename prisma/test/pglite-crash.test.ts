import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { killed, runReader, startChild } from "./fixtures/pglite-child-runner.ts";

describe("PGlite data directory left by a killed process", () => {
  let dir: string;
  let writer: ChildProcess | undefined;
  before(async () => (dir = await mkdtemp(path.join(tmpdir(), "arena-pglite-crash-"))));
  after(async () => {
    if (writer) await killed(writer);
    await rm(dir, { recursive: true, force: true });
  });

  it("opens again with the committed row, and the reopening process exits by itself", async () => {
    writer = await startChild("write", dir);
    await killed(writer); // SIGKILL: no close, lock file and unclean shutdown left behind
    assert.equal(writer.signalCode, "SIGKILL");
    assert.equal((await readFile(path.join(dir, ".pid.lock"), "utf8")).trim(), String(writer.pid), "a stale lock is left behind");
    // The reader closes the database and returns from its script without process.exit:
    // if recovery left a timer running it would never exit and this test would time out.
    const result = await runReader(dir);
    assert.equal(result.code, 0, result.err);
    assert.deepEqual(JSON.parse(result.out.trim().split("\n").pop()!), [{ id: 1, note: "committed before SIGKILL" }]);
  });
});
