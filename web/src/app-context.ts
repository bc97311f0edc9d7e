import type { AdRoutes, AdStorage } from "./ad-gate.ts";
import type { WebConfig } from "./config.ts";
import type { AuthSession } from "./net/auth-session.ts";
import type { GameApi } from "./net/game-api.ts";
import type { ProgressionApi } from "./net/progression-api.ts";

/** What every view gets. */
export interface AppContext {
  /** Runtime settings from `/config.json`. */
  config: WebConfig;
  /** The player's session (user, guest or nobody). */
  auth: AuthSession;
  /** Rooms and tickets on the game server. */
  games: GameApi;
  /** Profile points and skins on the backend. */
  progression: ProgressionApi;
  /** The ad rule's storage (localStorage). */
  adStorage: AdStorage;
  /** The home and ad routes. */
  adRoutes: AdRoutes;
  /** Navigates to an in-app path. */
  navigate(path: string): void;
  /** Navigates without a history entry. */
  replace(path: string): void;
}

/** In-app paths. */
export const Paths = {
  home: "/",
  lobby: "/lobby",
  play: (roomId: string) => `/play/${encodeURIComponent(roomId)}`,
  scoreboard: "/scoreboard",
  profile: "/profile",
  skins: "/skins",
  ad: "/ad",
} as const;
