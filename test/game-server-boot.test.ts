// The standalone game server as ops run it (`node --import tsx game-server/src/main.ts`): a port it
// cannot bind ends the boot with the error and exit code 1, so a supervisor or compose sees it.
// (Colyseus's listen only logs a bind error; the process used to hang, serving nothing.)
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { freePort } from "./support.ts";

describe("game server boot", function () {
  this.timeout(60_000);
  let holder: Server;
  let port: number;
  before(async () => {
    port = await freePort();
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, "127.0.0.1", resolve));
  });
  after(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it("exits 1 naming EADDRINUSE when its port is taken", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "game-server/src/main.ts"], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: { PATH: process.env.PATH, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "fatal" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 45_000);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    clearTimeout(timer);
    assert.equal(code, 1, `exit code ${code} (null = hung and killed)\n${stderr}`);
    assert.match(stderr, /EADDRINUSE/);
  });
});
