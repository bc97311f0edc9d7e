import { matchMaker } from "@colyseus/core";

/**
 * CORS for the game server, with the backend's CORS_ORIGINS semantics: only the listed browser
 * origins get CORS headers (credentials allowed); every other origin, and every origin when the
 * list is empty, gets none, so browsers keep cross-origin pages from reading any answer (same
 * origin only). Colyseus answers CORS itself for every request (its defaults reflect any Origin),
 * so its controller's headers are replaced. Process-wide, like Colyseus's matchmaker.
 */
export function applyCorsPolicy(origins: readonly string[]): void {
  const allowed = new Set(origins);
  const controller = matchMaker.controller as { DEFAULT_CORS_HEADERS: Record<string, string>; getCorsHeaders(headers: Headers): Record<string, string> };
  controller.DEFAULT_CORS_HEADERS = { Vary: "Origin" };
  controller.getCorsHeaders = (headers): Record<string, string> => {
    const origin = headers.get("origin");
    if (!origin || !allowed.has(origin)) return {};
    return {
      "Access-Control-Allow-Origin": origin,
      "Access-Control-Allow-Credentials": "true",
      "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
      "Access-Control-Allow-Headers": "Authorization, Content-Type",
      "Access-Control-Max-Age": "600",
    };
  };
}
