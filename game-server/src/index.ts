export { startGameServer, type GameServerOverrides, type RunningGameServer } from "./server.ts";
export { loadConfig, configSchema, type GameServerConfig } from "./config.ts";
