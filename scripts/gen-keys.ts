// `npm run keys > .env`: fresh secrets for docker-compose.yml — the backend's identity
// signing key (ES256), the game servers' service key pair (ES256) and a monitor password.
// PEMs are written on one line with "\n" escapes; both config modules accept that form.
import { generateKeyPairSync, randomBytes } from "node:crypto";

const oneLine = (pem: string) => JSON.stringify(pem.trim());
const pair = () => generateKeyPairSync("ec", { namedCurve: "P-256" });

const identity = pair();
const service = pair();
const lines = [
  `IDENTITY_SIGNING_KEY=${oneLine(identity.privateKey.export({ type: "pkcs8", format: "pem" }) as string)}`,
  `SERVICE_PRIVATE_KEY=${oneLine(service.privateKey.export({ type: "pkcs8", format: "pem" }) as string)}`,
  `SERVICE_PUBLIC_KEY=${oneLine(service.publicKey.export({ type: "spki", format: "pem" }) as string)}`,
  `MONITOR_PASSWORD=${randomBytes(18).toString("base64url")}`,
];
process.stdout.write(lines.join("\n") + "\n");
