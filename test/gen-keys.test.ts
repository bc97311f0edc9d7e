// The documented Docker path starts with `npm run keys -- --out .env`: the file must be one that
// docker compose reads (its env-file syntax), and its values must be keys both apps accept.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { loadBackendConfig } from "../backend/src/config.ts";
import { loadConfig as loadGameConfig } from "../game-server/src/config.ts";

const root = path.resolve(import.meta.dirname, "..");
const KEYS = ["IDENTITY_SIGNING_KEY", "SERVICE_PRIVATE_KEY", "SERVICE_PUBLIC_KEY", "MONITOR_PASSWORD"];

/** Runs a shell command line in the repository; answers its exit code and output. */
async function sh(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)("sh", ["-c", command], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", "\\": "\\", '"': '"' };

/**
 * One line of a docker compose env file as `npm run keys` must write it: KEY=value with the value
 * unquoted (no quotes, spaces or comment marks), single-quoted (literal) or double-quoted (with
 * \n \r \t \\ \" escapes). No `$` anywhere: compose would interpolate it. Answers [key, value].
 */
function composeLine(line: string): [string, string] {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
  assert.ok(match, `not a KEY=value line: ${JSON.stringify(line.slice(0, 40))}`);
  const [, key, raw] = match;
  assert.ok(!raw.includes("$"), `${key}: a "$" would be interpolated by compose`);
  if (raw.startsWith('"')) {
    assert.match(raw, /^"(?:[^"\\]|\\[nrt\\"])*"$/, `${key}: a double-quoted value must close and use only \\n \\r \\t \\\\ \\" escapes`);
    return [key, raw.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ESCAPES[c])];
  }
  if (raw.startsWith("'")) {
    assert.match(raw, /^'[^']*'$/, `${key}: a single-quoted value must close`);
    return [key, raw.slice(1, -1)];
  }
  assert.match(raw, /^[^\s"'#]+$/, `${key}: an unquoted value without spaces, quotes or #`);
  return [key, raw];
}

/** Checks the text is a complete env file of usable keys; answers its values as compose reads them. */
function checkEnvFile(text: string): Record<string, string> {
  assert.ok(text.endsWith("\n"), "ends with a newline");
  const lines = text.slice(0, -1).split("\n");
  const values = Object.fromEntries(lines.map(composeLine));
  assert.deepEqual(Object.keys(values).sort(), [...KEYS].sort(), "exactly the keys compose asks for, each once");

  const identity = createPrivateKey(values.IDENTITY_SIGNING_KEY);
  assert.equal(identity.asymmetricKeyDetails?.namedCurve, "prime256v1");
  const data = Buffer.from("service credential");
  const signature = sign("sha256", data, createPrivateKey(values.SERVICE_PRIVATE_KEY));
  assert.ok(verify("sha256", data, createPublicKey(values.SERVICE_PUBLIC_KEY), signature), "the service keys are one pair");
  assert.ok(values.MONITOR_PASSWORD.length >= 20);

  // Both apps boot on them in production, whether compose unquoted the PEMs or passed the escaped form.
  const escaped = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
  for (const env of [values, escaped]) {
    const backend = loadBackendConfig({ NODE_ENV: "production", IDENTITY_SIGNING_KEY: env.IDENTITY_SIGNING_KEY, SERVICE_PUBLIC_KEY: env.SERVICE_PUBLIC_KEY });
    assert.equal(backend.IDENTITY_SIGNING_KEY, values.IDENTITY_SIGNING_KEY);
    assert.equal(backend.SERVICE_PUBLIC_KEY, values.SERVICE_PUBLIC_KEY);
    const game = loadGameConfig({ NODE_ENV: "production", SERVICE_PRIVATE_KEY: env.SERVICE_PRIVATE_KEY, ADMIN_PASSWORD: env.MONITOR_PASSWORD });
    assert.equal(game.SERVICE_PRIVATE_KEY, values.SERVICE_PRIVATE_KEY);
  }
  return values;
}

describe("npm run keys (the .env for docker compose)", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), "arena-keys-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("`npm run keys -- --out .env` writes a valid compose env file, mode 0600", async () => {
    const file = path.join(dir, "out.env");
    const run = await sh(`npm run keys -- --out ${file}`);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    checkEnvFile(readFileSync(file, "utf8"));
  });

  it("keeps an existing file unless --force, so keys in use are not replaced by accident", async () => {
    const file = path.join(dir, "existing.env");
    writeFileSync(file, "KEEP=me\n");
    const refused = await sh(`npm run -s keys -- --out ${file}`);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /--force/);
    assert.equal(readFileSync(file, "utf8"), "KEEP=me\n");
    assert.equal((await sh(`npm run -s keys -- --out ${file} --force`)).code, 0);
    checkEnvFile(readFileSync(file, "utf8"));
  });

  it("`npm run -s keys > .env` writes the same format", async () => {
    const file = path.join(dir, "silent.env");
    const run = await sh(`npm run -s keys > ${file}`);
    assert.equal(run.code, 0, run.stderr);
    const first = checkEnvFile(readFileSync(file, "utf8"));
    await sh(`npm run -s keys > ${file}`);
    assert.notEqual(checkEnvFile(readFileSync(file, "utf8")).IDENTITY_SIGNING_KEY, first.IDENTITY_SIGNING_KEY, "fresh keys each run");
  });

  it("plain `npm run keys > .env` fails loudly with the right command instead of writing npm's banner into a 'valid-looking' file", async () => {
    const file = path.join(dir, "plain.env");
    const run = await sh(`npm run keys > ${file}`);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /npm run keys -- --out \.env/);
    assert.ok(!readFileSync(file, "utf8").includes("PRIVATE KEY"), "no keys were written after npm's lines");
  });
});
