import assert from "node:assert/strict";
import { createServer, connect, type Server, type Socket } from "node:net";
import { newPlayer, screenshot } from "./support/browser.ts";
import { appPath, configurePage, createRoom, register, uniqueName, waitForPath } from "./support/page-helpers.ts";
import { launchBrowser } from "./support/browser.ts";
import { buildPage } from "./support/build-page.ts";
import { startProduct, type Product } from "./support/product.ts";
import type { Browser } from "playwright-core";

/**
 * A TCP relay in front of the game server that can "die" like a killed process: every open
 * connection is cut and new ones are refused.
 */
class KillableRelay {
  readonly server: Server;
  private readonly open = new Set<Socket>();
  private target = 0;
  dead = false;
  constructor() {
    this.server = createServer((client) => {
      if (this.dead) return void client.destroy();
      const upstream = connect(this.target, "127.0.0.1");
      for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
        this.open.add(a);
        a.on("error", () => b.destroy());
        a.on("close", () => (this.open.delete(a), b.destroy()));
        a.pipe(b);
      }
    });
  }
  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as { port: number }).port;
  }
  to(port: number): void {
    this.target = port;
  }
  kill(): void {
    this.dead = true;
    for (const socket of this.open) socket.resetAndDestroy();
  }
}

describe("browser: the game server dies mid-game", () => {
  const relay = new KillableRelay();
  let product: Product;
  let browser: Browser;
  before(async () => {
    await buildPage();
    const relayPort = await relay.listen();
    // Long games: the server must die while the game runs, past the SDK's minimum uptime for reconnecting.
    product = await startProduct({ gameMs: 60_000, env: { PUBLIC_ADDRESS: `127.0.0.1:${relayPort}` } });
    relay.to(Number(new URL(product.gameUrl).port));
    product = { ...product, gameUrl: `http://127.0.0.1:${relayPort}` };
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await product?.close();
    relay.server.close();
  });

  it("the page says the room is gone within seconds and offers a new room", async () => {
    const { context, page } = await newPlayer(browser);
    await configurePage(context, product);
    await page.goto(product.pageUrl);
    await register(page, uniqueName("lost"));
    await createRoom(page, { mode: "classic", ranked: true });
    await page.getByTestId("start").click();
    await page.getByTestId("dot").waitFor();
    await page.waitForTimeout(5500); // past the SDK's minimum uptime, so it tries to reconnect

    relay.kill();
    await page.getByTestId("play-status").filter({ hasText: "reconnecting" }).waitFor();
    await page.getByTestId("room-lost").waitFor({ timeout: 15_000 });
    assert.equal(await page.getByTestId("dot").isVisible(), false);
    await screenshot(page, "play-room-lost");
    await page.getByTestId("new-room").click();
    await waitForPath(page, "/lobby");
    assert.equal(appPath(page), "/lobby");
    await context.close();
  });
});
