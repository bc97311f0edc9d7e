import { type AdRoutes, type AdStorage, gatePageLoad } from "./ad-gate.ts";

/** A rendered page. */
export interface View {
  /** The page's root element. */
  el: HTMLElement;
  /** The document title for this page. */
  title: string;
  /** Releases sockets, timers and rooms when the player leaves the page. */
  dispose?(): void;
}

/** A route: a path pattern (`:name` captures a segment) and how to render it. */
export interface Route {
  path: string;
  render(params: Record<string, string>, query: URLSearchParams): View;
}

/**
 * A tiny hash router (`#/lobby`), so the backend serves one `index.html` and needs no
 * fallback routes. Every navigation is a page load for the ad rule.
 */
export class Router {
  #current: View | null = null;

  constructor(
    private readonly routes: Route[],
    private readonly outlet: HTMLElement,
    private readonly adStorage: AdStorage,
    private readonly adRoutes: AdRoutes,
  ) {}

  start(): void {
    window.addEventListener("hashchange", () => this.#handle());
    this.#handle();
  }

  /** Navigates to an in-app path, e.g. `/play/abc`. */
  go(path: string): void {
    if (this.path() === path) this.#handle();
    else window.location.hash = path;
  }

  /** Navigates without leaving a history entry (used by the ad). */
  replace(path: string): void {
    window.location.replace(`#${path}`);
  }

  /** The current in-app path with its query. */
  path(): string {
    return window.location.hash.replace(/^#/, "") || "/";
  }

  #handle(): void {
    const path = this.path();
    const decision = gatePageLoad(this.adStorage, path, this.adRoutes);
    if (decision.action === "ad") {
      this.replace(decision.to);
      return;
    }
    const [pathname, search = ""] = path.split("?", 2);
    for (const route of this.routes) {
      const params = match(route.path, pathname);
      if (params) return this.#show(route.render(params, new URLSearchParams(search)));
    }
    this.replace("/");
  }

  #show(view: View): void {
    this.#current?.dispose?.();
    this.#current = view;
    this.outlet.replaceChildren(view.el);
    document.title = `${view.title} · Dot Arena`;
    // Moves focus to the new page's heading so keyboard and screen-reader users land on it.
    view.el.querySelector<HTMLElement>("h1")?.focus();
  }
}

function match(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split("/").filter(Boolean);
  const got = pathname.split("/").filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(":")) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}
