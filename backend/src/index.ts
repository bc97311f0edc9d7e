export { createBackend, type Backend, type BackendComponent, type BackendContext, type BackendDeps } from "./app.ts";
export { loadBackendConfig, describeBackendConfig, type BackendConfig } from "./config.ts";
export { createLogger } from "./logger.ts";
export { startBackend, type RunningBackend, type StartBackendOverrides } from "./start-backend.ts";
export { openSessionStore } from "./infrastructure.ts";
export { createIdentityKeyStore, publicJwk, type IdentityKeyStore, type PublicJwk } from "./keys/identity-key-store.ts";
export { loadIdentityKeyStore, rotateEmbeddedKeys } from "./keys/embedded-key-files.ts";
export { revokeUserSessions } from "./auth/session-revocation.ts";
export { REFRESH_COOKIE } from "./auth/auth-component.ts";
