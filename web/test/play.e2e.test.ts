import assert from "node:assert/strict";
import { newPlayer, screenshot } from "./support/browser.ts";
import { configurePage, createRoom, playUntilEnd, register, uniqueName, waitForPath } from "./support/page-helpers.ts";
import { useStage } from "./support/stage.ts";

describe("browser: playing", () => {
  const stage = useStage();

  it("a registered player plays classic and sees the score arrive on a scoreboard open in a second page", async () => {
    const { context, page } = await newPlayer(stage.browser);
    await configurePage(context, stage.product);
    const name = uniqueName("ace");
    await page.goto(stage.product.pageUrl);
    await register(page, name);

    // The second page (same player, another tab) watches the classic board live.
    const board = await context.newPage();
    await board.goto(`${stage.product.pageUrl}/#/scoreboard?board=classic&period=all`);
    await waitForPath(board, "/scoreboard");
    await board.getByTestId("live-status").filter({ hasText: "Live" }).waitFor();
    assert.equal(await board.locator("tbody tr", { hasText: name }).count(), 0);

    await createRoom(page, { mode: "classic", ranked: true });
    await playUntilEnd(page);
    const saved = page.getByTestId("result-saved");
    await saved.waitFor();
    const points = Number(/\((\d+) points?\)/.exec((await saved.textContent()) ?? "")?.[1]);
    assert.ok(points >= 3, `expected a few accepted points at a person's pace, got ${points}`);
    await screenshot(page, "play-classic-score-saved");

    // Without a reload: the live top 10 shows the new score, and the page shows the own rank.
    const row = board.locator("tbody tr", { hasText: name });
    await row.waitFor();
    assert.equal((await row.locator("td").nth(2).textContent())?.trim(), String(points));
    await board.getByTestId("own-rank").filter({ hasText: /Your rank: #\d+/ }).waitFor();
    await screenshot(board, "play-scoreboard-live-update");
    await context.close();
  });

  it("a guest is told before playing and after the game that the score is not saved", async () => {
    const host = await newPlayer(stage.browser);
    await configurePage(host.context, stage.product);
    await host.page.goto(stage.product.pageUrl);
    await register(host.page, uniqueName("host"));
    const code = await createRoom(host.page, { mode: "classic", allowGuests: true });

    const { context, page } = await newPlayer(stage.browser);
    await configurePage(context, stage.product);
    await page.goto(stage.product.pageUrl);
    await page.getByTestId("guest-notice").filter({ hasText: "won't be saved" }).waitFor();
    await page.getByLabel("Nickname").fill(uniqueName("visitor"));
    await page.getByRole("button", { name: "Play as guest" }).click();
    await waitForPath(page, "/lobby");
    await page.getByLabel("Room code").fill(code);
    await page.getByRole("button", { name: "Join", exact: true }).click();
    await page.getByTestId("play-notice").filter({ hasText: "won't be saved" }).waitFor();

    // Two players are seated: the host starts the round for both.
    await host.page.getByTestId("start").and(host.page.locator(":enabled")).click();
    await playUntilEnd(page, { useKeyboard: true, pressStart: false });
    await page.getByTestId("result-not-saved").filter({ hasText: "not saved because you played as a guest" }).waitFor();
    await screenshot(page, "play-guest-not-saved");
    await context.close();
    await host.context.close();
  });

  for (const mode of ["shaky", "steps"] as const) {
    it(`a registered player plays ${mode} to the end and the score is saved`, async () => {
      const { context, page } = await newPlayer(stage.browser);
      await configurePage(context, stage.product);
      await page.goto(stage.product.pageUrl);
      await register(page, uniqueName(mode));
      await createRoom(page, { mode, ranked: true });
      await playUntilEnd(page);
      await page.getByTestId("result-saved").waitFor();
      await screenshot(page, `play-${mode}-score-saved`);
      await context.close();
    });
  }
});
