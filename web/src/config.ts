/**
 * The page's runtime settings. The backend may serve `/config.json` with any of these
 * keys; missing keys (or a missing file) fall back to the defaults below. A key that is present
 * but unusable stops the page with a {@link ConfigError} naming it: a wrong address must not
 * quietly become the default one.
 */
export interface WebConfig {
  /** Base URL of the identity/scoreboard backend. Default: the page's own origin. */
  backendUrl: string;
  /**
   * Base URL of the Colyseus game server, http(s):// (the room API and the SDK take the HTTP
   * origin; `/config.json` may say ws(s)://, as docker-compose.yml does). Default: this host,
   * port 2567, same scheme.
   */
  gameServerUrl: string;
  /** Length of the house ad interstitial in seconds. Default 3. */
  adSeconds: number;
  /** Seconds between session heartbeats while logged in. Default 60. */
  heartbeatSeconds: number;
}

/** `/config.json` holds a value the page cannot use; the message names the key and the value. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export function defaultConfig(location: Pick<Location, "origin" | "protocol" | "hostname">): WebConfig {
  return {
    backendUrl: location.origin,
    gameServerUrl: `${location.protocol}//${location.hostname}:2567`,
    adSeconds: 3,
    heartbeatSeconds: 60,
  };
}

const HTTP_OF: Record<string, string> = { "http:": "http:", "https:": "https:", "ws:": "http:", "wss:": "https:" };

/** An absolute http(s):// or ws(s):// URL as its http(s) form without a trailing slash; undefined otherwise. */
function httpUrl(value: unknown, schemes: string[]): string | undefined {
  if (typeof value !== "string") return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (!schemes.includes(url.protocol) || !url.host) return undefined;
  url.protocol = HTTP_OF[url.protocol];
  return url.href.replace(/\/+$/, "");
}

/** Merges a parsed `/config.json` over the defaults; throws a ConfigError naming every unusable key. */
export function mergeConfig(base: WebConfig, raw: unknown): WebConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigError("/config.json is not a JSON object");
  const input = raw as Record<string, unknown>;
  const problems: string[] = [];
  const take = <T>(key: keyof WebConfig, parse: (value: unknown) => T | undefined, rule: string, fallback: T): T => {
    if (!(key in input)) return fallback;
    const parsed = parse(input[key]);
    if (parsed === undefined) problems.push(`${key} ${JSON.stringify(input[key])} must be ${rule}`);
    return parsed ?? fallback;
  };
  const seconds = (min: number) => (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value >= min ? value : undefined);
  const config: WebConfig = {
    backendUrl: take("backendUrl", (v) => httpUrl(v, ["http:", "https:"]), "an http(s):// URL", base.backendUrl),
    gameServerUrl: take("gameServerUrl", (v) => httpUrl(v, ["http:", "https:", "ws:", "wss:"]), "an http(s):// or ws(s):// URL", base.gameServerUrl),
    adSeconds: take("adSeconds", seconds(0), "a number of seconds ≥ 0", base.adSeconds),
    heartbeatSeconds: take("heartbeatSeconds", (v) => seconds(0)(v) || undefined, "a number of seconds > 0", base.heartbeatSeconds),
  };
  if (problems.length > 0) throw new ConfigError(`/config.json: ${problems.join("; ")}`);
  return config;
}

/**
 * Loads `/config.json` and merges it over the defaults. No file (404, or a page server that
 * answers something other than JSON) or no answer means the defaults; a file with an unusable
 * value throws a ConfigError.
 */
export async function loadConfig(): Promise<WebConfig> {
  const base = defaultConfig(window.location);
  let res: Response;
  try {
    res = await fetch("/config.json", { cache: "no-store" });
  } catch (error) {
    console.warn("/config.json could not be fetched; using the defaults", error);
    return base;
  }
  if (!res.ok || !(res.headers.get("content-type") ?? "").includes("json")) return base;
  let raw: unknown;
  try {
    raw = await res.json();
  } catch {
    throw new ConfigError("/config.json is not valid JSON");
  }
  return mergeConfig(base, raw);
}
