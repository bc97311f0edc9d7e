// Rotates the embedded identity keys under DATA_DIR/keys (the key IDENTITY_SIGNING_KEY
// replaces when it is unset):
//   node --import tsx backend/src/keys/rotate-keys-cli.ts
// then restart the backend. The old public key stays accepted (identity-verify-<time>.pem);
// delete that file once ACCESS_TOKEN_TTL has passed.
import path from "node:path";
import { loadBackendConfig } from "../config.ts";
import { loadIdentityKeyStore, rotateEmbeddedKeys } from "./embedded-key-files.ts";

const config = loadBackendConfig();
if (config.IDENTITY_SIGNING_KEY) {
  console.error("IDENTITY_SIGNING_KEY is set: rotate by configuration (new key there, old public key in IDENTITY_VERIFY_KEYS).");
  process.exit(1);
}
const dir = path.join(config.DATA_DIR, "keys");
const before = await loadIdentityKeyStore(config);
await rotateEmbeddedKeys(dir);
const after = await loadIdentityKeyStore(config);
console.log(`signing key ${before.signing.kid} → ${after.signing.kid}; verify keys: ${after.jwks().keys.map((k) => k.kid).join(", ")}`);
console.log("Restart the backend to sign with the new key.");
