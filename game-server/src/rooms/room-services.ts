import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { GameServerConfig } from "../config.ts";
import { createResultsOutbox } from "../game/results-outbox-from-config.ts";
import type { ResultsOutbox } from "../game/results-outbox.ts";

/**
 * Long-lived dependencies of the game logic shared by every room of a process (e.g. the
 * results outbox to the backend). The game logic adds its members here and builds them in
 * {@link createRoomServices}; the server closes them on shutdown.
 */
export interface RoomServices {
  /** Game results and flags on their way to the backend (retried until stored). */
  results: ResultsOutbox;
  /** Releases whatever the services hold. */
  close(): Promise<void>;
}

/** `redis`: the process's guarded Redis connection (the outbox store uses it; the caller closes it). */
export async function createRoomServices(config: GameServerConfig, log: Logger, now: () => number = Date.now, redis?: Redis): Promise<RoomServices> {
  const results = createResultsOutbox(config, log.child({ component: "results-outbox" }), { now, redis });
  return { results, close: () => results.close() };
}
