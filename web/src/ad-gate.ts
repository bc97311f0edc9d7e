/**
 * The ad interstitial rule (docs/web.md, "The ad rule"), as a pure function over a small
 * key-value storage (the browser passes `localStorage`, tests pass a Map).
 *
 * On every page load:
 *  1. if the page differs from `currentPage`, `adHasRun` becomes false;
 *     the home page always sets it to false;
 *  2. `currentPage` becomes this page;
 *  3. a non-home page with `adHasRun` false goes to the ad route first, remembering
 *     this page as the next URL.
 * When the ad completes, `adHasRun` becomes true and the player goes to the next URL.
 *
 * The ad route itself is not a page for this rule: loading it changes nothing, or
 * coming back from it would look like a page change and show the ad again forever.
 */

/** The part of the Web Storage API the rule needs. */
export interface AdStorage {
  /** The stored value, or null when absent. */
  getItem(key: string): string | null;
  /** Stores a value. */
  setItem(key: string, value: string): void;
}

/** The storage keys (the first two are named by the seed). */
export const AD_KEYS = {
  currentPage: "currentPage",
  adHasRun: "adHasRun",
  nextUrl: "adNextUrl",
} as const;

/** Which in-app paths are the home page and the ad route. */
export interface AdRoutes {
  /** The home page: never gated, and always resets `adHasRun`. */
  home: string;
  /** The ad interstitial's own route. */
  ad: string;
}

export const DEFAULT_AD_ROUTES: AdRoutes = { home: "/", ad: "/ad" };

/** What to do with a page load. */
export type AdDecision =
  /** Show the page. */
  | { action: "show" }
  /** Go to the ad route first; `next` is where the ad returns to. */
  | { action: "ad"; to: string; next: string };

/** Normalises an in-app path: drops query and fragment, and a trailing slash. */
export function pageOf(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] || "/";
  const withSlash = bare.startsWith("/") ? bare : `/${bare}`;
  return withSlash.length > 1 ? withSlash.replace(/\/+$/, "") || "/" : withSlash;
}

/** True for a path inside this app (no scheme, no protocol-relative `//host`). */
export function isInAppPath(url: string): boolean {
  return url.startsWith("/") && !url.startsWith("//") && !url.includes("\\") && !/[\u0000-\u001f]/.test(url);
}

/**
 * Applies the rule to a page load of `path` (an in-app path, query allowed) and
 * says whether to show it or to go through the ad first.
 */
export function gatePageLoad(storage: AdStorage, path: string, routes: AdRoutes = DEFAULT_AD_ROUTES): AdDecision {
  const page = pageOf(path);
  if (page === pageOf(routes.ad)) return { action: "show" };
  const isHome = page === pageOf(routes.home);

  if (isHome || storage.getItem(AD_KEYS.currentPage) !== page) {
    storage.setItem(AD_KEYS.adHasRun, "false");
  }
  storage.setItem(AD_KEYS.currentPage, page);

  if (isHome || storage.getItem(AD_KEYS.adHasRun) === "true") return { action: "show" };
  const next = isInAppPath(path) ? path : page;
  storage.setItem(AD_KEYS.nextUrl, next);
  return { action: "ad", to: routes.ad, next };
}

/**
 * Marks the ad as run and returns the URL to go to next: the stored next URL when it
 * is an in-app path, else home.
 */
export function completeAd(storage: AdStorage, routes: AdRoutes = DEFAULT_AD_ROUTES): string {
  storage.setItem(AD_KEYS.adHasRun, "true");
  const stored = storage.getItem(AD_KEYS.nextUrl);
  const next = stored !== null && isInAppPath(stored) && pageOf(stored) !== pageOf(routes.ad) ? stored : routes.home;
  // Keeps the next load of `next` from counting as a page change (which would loop).
  storage.setItem(AD_KEYS.currentPage, pageOf(next));
  return next;
}
