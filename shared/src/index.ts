export * from "./errors.ts";
export * from "./claims.ts";
export * from "./protocol.ts";
export * from "./names.ts";
export * from "./session/session-store.ts";
export { MemorySessionStore } from "./session/memory-session-store.ts";
