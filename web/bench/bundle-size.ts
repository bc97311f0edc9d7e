// Builds the page and prints what a browser downloads: the first load (index.html, the
// entry script, the stylesheet) and the chunk fetched on entering a game room.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync } from "node:zlib";

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const vite = path.join(path.dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin", "vite.js");
execFileSync(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: web, stdio: "inherit", env: { ...process.env, NODE_OPTIONS: "" } });

const dist = path.join(web, "dist");
const html = readFileSync(path.join(dist, "index.html"), "utf8");
const assets = readdirSync(path.join(dist, "assets")).map((name) => `assets/${name}`);
const firstLoad = ["index.html", ...assets.filter((file) => html.includes(file))];
const lazy = assets.filter((file) => !html.includes(file));

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
function row(file: string): [number, number, number] {
  const bytes = readFileSync(path.join(dist, file));
  const sizes: [number, number, number] = [bytes.length, gzipSync(bytes, { level: 9 }).length, brotliCompressSync(bytes).length];
  console.log(`${file.padEnd(38)} ${kb(sizes[0]).padStart(10)} ${kb(sizes[1]).padStart(10)} ${kb(sizes[2]).padStart(10)}`);
  return sizes;
}
function group(title: string, files: string[]): void {
  console.log(`\n${title}\n${"file".padEnd(38)} ${"raw".padStart(10)} ${"gzip -9".padStart(10)} ${"brotli".padStart(10)}`);
  const total = files.map(row).reduce((a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]], [0, 0, 0]);
  console.log(`${"total".padEnd(38)} ${kb(total[0]).padStart(10)} ${kb(total[1]).padStart(10)} ${kb(total[2]).padStart(10)}`);
}
group("First load (home, lobby, scoreboard, ad)", firstLoad);
group("Loaded on entering a game room", lazy);
