import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { chmod, mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BackendConfig } from "../config.ts";
import { createIdentityKeyStore, splitPems, type IdentityKeyStore } from "./identity-key-store.ts";

const SIGNING_FILE = "identity-signing.pem";
const VERIFY_PREFIX = "identity-verify-";

function newPrivatePem(): string {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return privateKey.export({ type: "pkcs8", format: "pem" }) as string;
}

/**
 * Reads (or on first start generates) the embedded identity keys in `dir`:
 * `identity-signing.pem` (0600) signs; every `identity-verify-*.pem` is an older public
 * key still accepted. Returns the private PEM and the older public PEMs.
 */
export async function readEmbeddedKeys(dir: string): Promise<{ signing: string; older: string[]; generated: boolean }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, SIGNING_FILE);
  let generated = false;
  let signing = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
  if (signing === undefined) {
    try {
      await writeFile(file, newPrivatePem(), { mode: 0o600, flag: "wx" });
      generated = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    signing = await readFile(file, "utf8");
  }
  await chmod(file, 0o600);
  const older: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith(VERIFY_PREFIX) && name.endsWith(".pem")) older.push(await readFile(path.join(dir, name), "utf8"));
  }
  return { signing, older, generated };
}

/**
 * Rotates the embedded keys in `dir`: the current key's public half becomes
 * `identity-verify-<time>.pem` (still accepted), and a new signing key is generated.
 * Delete old verify files once ACCESS_TOKEN_TTL has passed since the rotation.
 */
export async function rotateEmbeddedKeys(dir: string, now = Date.now()): Promise<void> {
  const { signing } = await readEmbeddedKeys(dir);
  const publicPem = createPublicKey(createPrivateKey(signing)).export({ type: "spki", format: "pem" }) as string;
  await writeFile(path.join(dir, `${VERIFY_PREFIX}${new Date(now).toISOString().replace(/[:.]/g, "-")}.pem`), publicPem, { mode: 0o600 });
  const next = path.join(dir, `${SIGNING_FILE}.next`);
  await writeFile(next, newPrivatePem(), { mode: 0o600 });
  await rename(next, path.join(dir, SIGNING_FILE));
}

/**
 * The identity key store for this configuration: IDENTITY_SIGNING_KEY (+ IDENTITY_VERIFY_KEYS)
 * when set; otherwise the embedded keys under DATA_DIR/keys (generated on first start).
 */
export async function loadIdentityKeyStore(
  config: Pick<BackendConfig, "IDENTITY_SIGNING_KEY" | "IDENTITY_VERIFY_KEYS" | "DATA_DIR">,
): Promise<IdentityKeyStore & { source: "config" | "generated" | "data-dir" }> {
  const configured = splitPems(config.IDENTITY_VERIFY_KEYS);
  if (config.IDENTITY_SIGNING_KEY) {
    return { ...createIdentityKeyStore(config.IDENTITY_SIGNING_KEY, configured), source: "config" };
  }
  const embedded = await readEmbeddedKeys(path.join(config.DATA_DIR, "keys"));
  const store = createIdentityKeyStore(embedded.signing, [...embedded.older, ...configured]);
  return { ...store, source: embedded.generated ? "generated" : "data-dir" };
}
