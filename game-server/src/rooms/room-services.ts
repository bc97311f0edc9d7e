import type { Logger } from "pino";
import type { GameServerConfig } from "../config.ts";
import { createResultsOutbox } from "../game/results-outbox-from-config.ts";
import type { OutboxStore } from "../game/outbox-store.ts";
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

/** `outbox`: where results wait (chosen by infrastructure.ts). */
export async function createRoomServices(config: GameServerConfig, log: Logger, now: () => number, outbox: OutboxStore): Promise<RoomServices> {
  const results = createResultsOutbox(config, log.child({ component: "results-outbox" }), { now, store: outbox });
  return { results, close: () => results.close() };
}
