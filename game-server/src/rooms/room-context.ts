import type { Client } from "@colyseus/core";
import type { SessionStore, TicketClaims } from "@arena/shared";
import type { Logger } from "pino";
import type { GameServerConfig } from "../config.ts";
import type { GameServerMetrics } from "../metrics/game-server-metrics.ts";
import type { GuestNameStore } from "../stores/guest-name-store.ts";
import type { PresenceStore } from "../stores/presence-store.ts";
import type { RoomCodeStore } from "../stores/room-code-store.ts";
import type { RoomKeyStore } from "../stores/room-key-store.ts";
import type { RoomDirectory } from "../tickets/room-directory.ts";
import type { TicketService } from "../tickets/ticket-service.ts";
import type { RoomServices } from "./room-services.ts";

/** A connected client of the game room; `auth` is the verified ticket. */
export type GameClient = Client<{ auth: TicketClaims }>;

/** Everything a game room needs, passed in by the server that defines it. */
export interface RoomContext {
  config: GameServerConfig;
  log: Logger;
  /** The process's clock in epoch ms (game timing, emptiness, pong). */
  now: () => number;
  tickets: TicketService;
  sessions: SessionStore;
  presence: PresenceStore;
  keys: RoomKeyStore;
  codes: RoomCodeStore;
  nicknames: GuestNameStore;
  rooms: RoomDirectory;
  /** Joins, refusals, point events (Prometheus). */
  metrics: GameServerMetrics;
  /** Dependencies of the game logic (results outbox…). */
  services: RoomServices;
}
