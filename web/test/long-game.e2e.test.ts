import assert from "node:assert/strict";
import { newPlayer, screenshot } from "./support/browser.ts";
import { configurePage, createRoom, playUntilEnd, register, uniqueName } from "./support/page-helpers.ts";
import { useStage } from "./support/stage.ts";

describe("browser: a long game", () => {
  const stage = useStage({ gameMs: 30_000 });

  // Every accepted point's token goes back in the one `submit` message: a busy game makes it
  // several KiB (it once exceeded the game server's 4 KiB message limit and the result was lost).
  it("still gets its many-point result saved", async () => {
    const { context, page } = await newPlayer(stage.browser);
    await configurePage(context, stage.product);
    await page.goto(stage.product.pageUrl);
    await register(page, uniqueName("marathon"));
    await createRoom(page, { mode: "classic", ranked: true });
    await playUntilEnd(page, { maxHits: 100, pauseMs: 110 });
    const saved = page.getByTestId("result-saved");
    await saved.waitFor();
    const points = Number(/\((\d+) points?\)/.exec((await saved.textContent()) ?? "")?.[1]);
    // ≈ 56 bytes per point in the submit frame: 80 points is over 4 KiB.
    assert.ok(points >= 80, `100 hits in a 30 s game should give at least 80 points, got ${points}`);
    await screenshot(page, "long-game-score-saved");
    await context.close();
  });
});
