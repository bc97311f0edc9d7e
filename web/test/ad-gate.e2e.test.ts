import assert from "node:assert/strict";
import { newPlayer, screenshot } from "./support/browser.ts";
import { appPath, configurePage, waitForPath } from "./support/page-helpers.ts";
import { useStage } from "./support/stage.ts";

describe("browser: the ad interstitial", () => {
  const stage = useStage();

  it("sends a first visit to a non-home page through the ad and back, then not again", async () => {
    const { context, page } = await newPlayer(stage.browser);
    await configurePage(context, stage.product);

    await page.goto(`${stage.product.pageUrl}/#/scoreboard`);
    await page.getByTestId("ad").waitFor();
    assert.equal(appPath(page), "/ad");
    assert.equal(await page.evaluate(() => localStorage.getItem("currentPage")), "/scoreboard");
    assert.equal(await page.evaluate(() => localStorage.getItem("adHasRun")), "false");

    await waitForPath(page, "/scoreboard");
    await page.getByRole("heading", { name: "Scoreboard" }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem("adHasRun")), "true");

    await page.reload();
    await page.getByRole("heading", { name: "Scoreboard" }).waitFor();
    assert.equal(appPath(page), "/scoreboard", "a reload of the same page shows no second ad");
    assert.equal(await page.getByTestId("ad").count(), 0);
    await screenshot(page, "ad-gate-returned-to-scoreboard");

    await page.getByRole("link", { name: "Dot Arena" }).click();
    await page.getByRole("heading", { name: "Dot Arena" }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem("adHasRun")), "false", "home always resets adHasRun");
    await context.close();
  });
});
