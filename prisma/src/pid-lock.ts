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

// Directories this process holds: a second open from the same process must fail too
// (the pid in the file cannot tell "me, still open" from "a previous me with a reused pid").
const held = new Set<string>();

/**
 * Takes `<dir>/.pid.lock` so that two processes never open one PGlite data directory
 * (PGlite itself does not stop them). A lock left by a dead process is taken over.
 * Returns the release function.
 */
export async function acquirePidLock(dir: string): Promise<() => Promise<void>> {
  const key = path.resolve(dir);
  if (held.has(key)) throw new DataDirLockedError(`Data directory ${dir} is already open in this process.`);
  held.add(key); // before any await: a concurrent open from this process fails above
  try {
    return await takeLockFile(dir, key);
  } catch (err) {
    held.delete(key);
    throw err;
  }
}

async function takeLockFile(dir: string, key: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, ".pid.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        held.delete(key);
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
