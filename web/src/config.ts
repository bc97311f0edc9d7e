/**
 * The page's runtime settings. The backend may serve `/config.json` with any of these
 * keys; missing keys (or a missing file) fall back to the defaults below.
 */
export interface WebConfig {
  /** Base URL of the identity/scoreboard backend. Default: the page's own origin. */
  backendUrl: string;
  /** Base URL of the Colyseus game server. Default: this host, port 2567, same scheme. */
  gameServerUrl: string;
  /** Length of the house ad interstitial in seconds. Default 3. */
  adSeconds: number;
  /** Seconds between session heartbeats while logged in. Default 60. */
  heartbeatSeconds: number;
}

export function defaultConfig(location: Pick<Location, "origin" | "protocol" | "hostname">): WebConfig {
  return {
    backendUrl: location.origin,
    gameServerUrl: `${location.protocol}//${location.hostname}:2567`,
    adSeconds: 3,
    heartbeatSeconds: 60,
  };
}

/** Merges a parsed `/config.json` over the defaults, keeping only well-typed values. */
export function mergeConfig(base: WebConfig, raw: unknown): WebConfig {
  if (typeof raw !== "object" || raw === null) return base;
  const input = raw as Record<string, unknown>;
  const url = (value: unknown, fallback: string) =>
    typeof value === "string" && /^https?:\/\//.test(value) ? value.replace(/\/+$/, "") : fallback;
  const seconds = (value: unknown, fallback: number) =>
    typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fallback;
  return {
    backendUrl: url(input.backendUrl, base.backendUrl),
    gameServerUrl: url(input.gameServerUrl, base.gameServerUrl),
    adSeconds: seconds(input.adSeconds, base.adSeconds),
    heartbeatSeconds: seconds(input.heartbeatSeconds, base.heartbeatSeconds) || base.heartbeatSeconds,
  };
}

/** Loads `/config.json` (optional) and merges it over the defaults. */
export async function loadConfig(): Promise<WebConfig> {
  const base = defaultConfig(window.location);
  try {
    const res = await fetch("/config.json", { cache: "no-store" });
    if (!res.ok) return base;
    return mergeConfig(base, await res.json());
  } catch {
    return base;
  }
}
