import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

/** Starts backend/src/main.ts on port 0 with embedded defaults in `dataDir`; resolves with its URL. */
function startMain(dataDir: string, env: Record<string, string> = {}): { child: ChildProcess; url: Promise<string>; exit: Promise<number | null> } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "DATABASE_URL" && k !== "REDIS_URL"));
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...clean, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const match = /"url":"(http:[^"]+)".*"backend listening"/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`main.ts exited (${code}) before listening: ${out}`)));
  });
  url.catch(() => {});
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, url, exit };
}

describe("backend main.ts process (embedded defaults)", function () {
  this.timeout(90_000); // a new PGlite data directory takes seconds to initialise, more on a busy box
  let dir: string;
  let running: ReturnType<typeof startMain> | undefined;
  before(async () => (dir = await mkdtemp(path.join(tmpdir(), "arena-main-"))));
  after(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill("SIGKILL");
      await running.exit;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it("serves on PGlite with generated keys, and SIGTERM closes it cleanly (lock released, exit 0)", async () => {
    running = startMain(dir);
    const url = await running.url;
    assert.equal((await (await fetch(`${url}/readyz`)).json()).database, "pglite");
    assert.equal((await stat(path.join(dir, "keys", "identity-signing.pem"))).mode & 0o777, 0o600);
    await stat(path.join(dir, "pglite", ".pid.lock"));

    const second = startMain(dir);
    assert.notEqual(await second.exit, 0, "a second process on the same data directory refuses to start");

    running.child.kill("SIGTERM");
    assert.equal(await running.exit, 0);
    await assert.rejects(stat(path.join(dir, "pglite", ".pid.lock")), /ENOENT/);
  });

  it("stops the boot naming a bad config key", async () => {
    const bad = startMain(dir, { ACCESS_TOKEN_TTL: "soon" });
    let err = "";
    bad.child.stderr!.on("data", (chunk) => (err += chunk));
    assert.equal(await bad.exit, 1);
    assert.match(err, /ACCESS_TOKEN_TTL/);
  });
});
