import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DataDirLockedError, openDatabase } from "../src/index.ts";
import { killed, startChild } from "./fixtures/pglite-child-runner.ts";

describe("PGlite data directory lock", () => {
  let dir: string;
  let holder: ChildProcess | undefined;
  beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), "arena-pglite-lock-"))));
  afterEach(async () => {
    if (holder) await killed(holder);
    holder = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses a second process while the first holder lives, and opens once it is gone", async () => {
    holder = await startChild("hold", dir);
    assert.equal((await readFile(path.join(dir, ".pid.lock"), "utf8")).trim(), String(holder.pid));
    await assert.rejects(openDatabase({ dataDir: dir }), (err: unknown) => err instanceof DataDirLockedError && /in use by process/.test(String(err)));
    await killed(holder);
    const db = await openDatabase({ dataDir: dir }); // the dead holder's lock is taken over
    try {
      assert.equal(await db.ping(), true);
    } finally {
      await db.close();
    }
    await assert.rejects(stat(path.join(dir, ".pid.lock")), /ENOENT/, "close releases the lock");
  });

  it("refuses a second open from the same process", async () => {
    const db = await openDatabase({ dataDir: dir });
    try {
      await assert.rejects(openDatabase({ dataDir: dir }), DataDirLockedError);
      await assert.rejects(openDatabase({ dataDir: path.join(dir, ".") }), DataDirLockedError, "same directory by another spelling");
    } finally {
      await db.close();
    }
    const again = await openDatabase({ dataDir: dir });
    await again.close();
  });
});
