import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { WEB_DIR } from "./product.ts";

let built: Promise<unknown> | null = null;

/**
 * Builds web/dist once per test run (the product serves the built page, as in `npm start`).
 * In a child process: vite's own module resolution does not run under the tsx loader.
 */
export function buildPage(): Promise<unknown> {
  const viteBin = path.join(path.dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin", "vite.js");
  built ??= promisify(execFile)(process.execPath, [viteBin, "build", "--logLevel", "warn"], { cwd: WEB_DIR, env: { ...process.env, NODE_OPTIONS: "" } });
  return built;
}
