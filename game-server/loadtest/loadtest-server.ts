// A game server for load tests, in its own process (forked by run.ts): the embedded defaults
// (or REDIS_URL) plus the run's identity key and one live session, so the runner can create rooms.
import "../src/websocket-global.ts";
import { MemorySessionStore } from "@arena/shared";
import { loadConfig } from "../src/config.ts";
import { startGameServer } from "../src/server.ts";

/** What run.ts hands the server through LOADTEST_SERVER (JSON). */
export interface LoadtestServerEnv {
  pem: string;
  sid: string;
  sub: string;
  prefix: string;
}

const env = JSON.parse(process.env.LOADTEST_SERVER!) as LoadtestServerEnv;
const redisUrl = process.env.REDIS_URL || undefined;
const config = loadConfig({
  PORT: "0",
  LOG_LEVEL: "warn",
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: env.prefix,
  IDENTITY_PUBLIC_KEY: env.pem,
  MAX_MESSAGES_PER_SECOND: "100",
  // The load comes from one address, and one account creates the rooms.
  TICKET_RATE_LIMIT: "1000000",
  ROOM_CREATE_RATE_LIMIT: "1000000",
});
const sessions = redisUrl ? undefined : new MemorySessionStore();
await sessions?.put(env.sid, { userId: env.sub, expiresAt: Date.now() + 3_600_000 });
const running = await startGameServer(config, { sessions });
process.send!({ url: running.url });
process.on("message", (m) => m === "stop" && void running.close().then(() => process.exit(0)));
