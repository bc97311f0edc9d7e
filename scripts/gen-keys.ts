// `npm run keys -- --out .env`: fresh secrets for docker-compose.yml — the backend's identity
// signing key (ES256), the game servers' service key pair (ES256) and a monitor password —
// written to the file (mode 0600). An existing file is kept (its keys may be in use) unless
// --force is given.
//
// Without --out the lines go to stdout, for `npm run -s keys > .env`. Plain `npm run keys > .env`
// would put npm's own "> keys" banner lines in the file, which docker compose rejects: that case
// (stdout a file, npm not silent) is refused with a hint instead of writing a broken file.
//
// Every line is a docker compose env-file line `KEY=value`. A PEM is one double-quoted line with
// "\n" escapes: compose turns them back into newlines, and both config modules also accept the
// escaped form.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { chmodSync, fstatSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { out: { type: "string" }, force: { type: "boolean", default: false } } });

const oneLine = (pem: string) => JSON.stringify(pem.trim());
const pair = () => generateKeyPairSync("ec", { namedCurve: "P-256" });

const identity = pair();
const service = pair();
const text =
  [
    `IDENTITY_SIGNING_KEY=${oneLine(identity.privateKey.export({ type: "pkcs8", format: "pem" }) as string)}`,
    `SERVICE_PRIVATE_KEY=${oneLine(service.privateKey.export({ type: "pkcs8", format: "pem" }) as string)}`,
    `SERVICE_PUBLIC_KEY=${oneLine(service.publicKey.export({ type: "spki", format: "pem" }) as string)}`,
    `MONITOR_PASSWORD=${randomBytes(18).toString("base64url")}`,
  ].join("\n") + "\n";

if (values.out) {
  try {
    writeFileSync(values.out, text, { mode: 0o600, flag: values.force ? "w" : "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    console.error(`keys: ${values.out} exists and is kept (its keys may be in use); add --force to replace it`);
    process.exit(1);
  }
  chmodSync(values.out, 0o600);
  console.error(`keys: wrote ${values.out} (mode 0600); keep it secret`);
} else {
  const npmBannerInFile = process.env.npm_lifecycle_event !== undefined && process.env.npm_config_loglevel !== "silent" && fstatSync(1).isFile();
  if (npmBannerInFile) {
    console.error("keys: npm has already written its own \"> keys\" lines into the file stdout goes to, so it would not be a valid env file.");
    console.error("keys: run `npm run keys -- --out .env` (or `npm run -s keys > .env`).");
    process.exit(1);
  }
  process.stdout.write(text);
}
