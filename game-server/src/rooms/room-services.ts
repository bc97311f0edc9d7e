import type { Logger } from "pino";
import type { GameServerConfig } from "../config.ts";

/**
 * Long-lived dependencies of the game logic shared by every room of a process (e.g. the
 * results outbox to the backend). The game logic adds its members here and builds them in
 * {@link createRoomServices}; the server closes them on shutdown.
 */
export interface RoomServices {
  /** Releases whatever the services hold. */
  close(): Promise<void>;
}

export async function createRoomServices(_config: GameServerConfig, _log: Logger): Promise<RoomServices> {
  return { close: async () => {} };
}
