import type { AdStorage } from "./ad-gate.ts";
import { type AppContext, Paths } from "./app-context.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { h } from "./dom.ts";
import { AuthSession } from "./net/auth-session.ts";
import { GameApi } from "./net/game-api.ts";
import { ProgressionApi } from "./net/progression-api.ts";
import { type Route, Router } from "./router.ts";
import { adView } from "./views/ad-view.ts";
import { homeView } from "./views/home-view.ts";
import { lobbyView } from "./views/lobby-view.ts";
import { playView } from "./views/play-view.ts";
import { profileView } from "./views/profile-view.ts";
import { scoreboardView } from "./views/scoreboard-view.ts";
import { skinsView } from "./views/skins-view.ts";
import "./style.css";

/** localStorage, or a memory stand-in when the browser refuses storage (private modes). */
function adStorage(): AdStorage {
  try {
    localStorage.setItem("arena.probe", "1");
    localStorage.removeItem("arena.probe");
    return localStorage;
  } catch {
    const memory = new Map<string, string>();
    return { getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => void memory.set(k, v) };
  }
}

async function boot(): Promise<void> {
  const config = await loadConfig();
  const auth = new AuthSession(config.backendUrl, config.heartbeatSeconds);
  auth.onDailyBonus((bonus) => showDailyBonus(bonus.granted, bonus.streak));
  await auth.restore();
  const outlet = document.getElementById("app")!;
  const adRoutes = { home: Paths.home, ad: Paths.ad };
  let router: Router;
  const ctx: AppContext = {
    config,
    auth,
    games: new GameApi(config.gameServerUrl, auth),
    progression: new ProgressionApi(config.backendUrl, auth),
    adStorage: adStorage(),
    adRoutes,
    navigate: (path) => router.go(path),
    replace: (path) => router.replace(path),
  };
  const routes: Route[] = [
    { path: Paths.home, render: () => homeView(ctx) },
    { path: Paths.lobby, render: () => lobbyView(ctx) },
    { path: "/play/:roomId", render: (params, query) => playView(ctx, params.roomId, query) },
    { path: Paths.profile, render: () => profileView(ctx) },
    { path: Paths.skins, render: () => skinsView(ctx) },
    { path: Paths.scoreboard, render: (_params, query) => scoreboardView(ctx, query) },
    { path: Paths.ad, render: () => adView(ctx) },
  ];
  router = new Router(routes, outlet, ctx.adStorage, adRoutes);
  renderHeader(ctx);
  auth.onChange(() => renderHeader(ctx));
  document.getElementById("skip")?.addEventListener("click", () => outlet.querySelector<HTMLElement>("h1")?.focus());
  router.start();
}

function renderHeader(ctx: AppContext): void {
  const player = ctx.auth.player;
  const who =
    player.kind === "user" ? `${player.username}` : player.kind === "guest" ? `${player.nickname} (guest)` : "not logged in";
  document.getElementById("who")!.textContent = who;
}

/** "+50 daily bonus" in the header, when a sign-in answer says the bonus was granted. */
function showDailyBonus(granted: number, streak: number): void {
  const el = document.getElementById("bonus")!;
  el.textContent = `+${granted} daily bonus${streak > 1 ? ` (${streak}-day streak)` : ""}`;
  el.hidden = false;
}

void boot().catch((error: unknown) => {
  // A configuration error is the operator's to fix: say exactly what is wrong.
  const text = error instanceof ConfigError
    ? `The page is misconfigured and cannot start: ${error.message}.`
    : "The page failed to start. Reload to try again.";
  document.getElementById("app")!.replaceChildren(h("p", { role: "alert", "data-testid": "boot-error" }, text));
  console.error(error);
});
