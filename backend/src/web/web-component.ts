import { existsSync } from "node:fs";
import path from "node:path";
import express from "express";
import type { BackendComponent, BackendContext } from "../backend-context.ts";

/**
 * Serves the players' page (web/dist, built by `npm run -w web build`) at `/`, and
 * `/config.json` telling the page where the game server is when GAME_SERVER_URL is set
 * (otherwise the page assumes this host on port 2567).
 */
export function createWebComponent(ctx: BackendContext): BackendComponent {
  const router = express.Router();
  const dist = path.resolve(ctx.config.WEB_DIST_DIR);

  router.get("/config.json", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json(ctx.config.GAME_SERVER_URL ? { gameServerUrl: ctx.config.GAME_SERVER_URL } : {});
  });

  if (existsSync(path.join(dist, "index.html"))) {
    router.use(
      express.static(dist, {
        index: "index.html",
        setHeaders(res, file) {
          // Hashed assets never change; the page itself must always be revalidated.
          res.setHeader("Cache-Control", file.includes(`${path.sep}assets${path.sep}`) ? "public, max-age=31536000, immutable" : "no-cache");
        },
      }),
    );
  } else {
    ctx.log.warn({ dist }, "web page not built (npm run -w web build): / is not served");
  }
  return { name: "web", router };
}
