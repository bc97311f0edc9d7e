import { mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";

export class DataDirLockedError extends Error {
  override name = "DataDirLockedError";
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes `<dir>/.pid.lock` so that two processes never open one PGlite data directory
 * (PGlite itself does not stop them). A lock left by a dead process is taken over.
 * Returns the release function.
 */
export async function acquirePidLock(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, ".pid.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number((await readFile(file, "utf8").catch(() => "")).trim());
      if (owner && owner !== process.pid && alive(owner)) {
        throw new DataDirLockedError(`Data directory ${dir} is in use by process ${owner}.`);
      }
      await rm(file, { force: true });
    }
  }
  throw new DataDirLockedError(`Could not lock data directory ${dir}.`);
}
