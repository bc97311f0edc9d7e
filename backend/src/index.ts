export { createBackend, type Backend, type BackendComponent, type BackendContext, type BackendDeps } from "./app.ts";
export { loadBackendConfig, describeBackendConfig, type BackendConfig } from "./config.ts";
export { createLogger } from "./logger.ts";
export type { IdentityKeyStore, PublicJwk } from "./keys/identity-key-store.ts";
