import assert from "node:assert/strict";
import { newPlayer, screenshot } from "./support/browser.ts";
import { configurePage, register, uniqueName } from "./support/page-helpers.ts";
import { useStage } from "./support/stage.ts";

describe("browser: account session", () => {
  const stage = useStage();

  it("stays logged in across a reload, logs out for good, and explains a wrong password", async () => {
    const { context, page } = await newPlayer(stage.browser);
    await configurePage(context, stage.product);
    const name = uniqueName("keeper");
    await page.goto(stage.product.pageUrl);
    await register(page, name);
    assert.equal(await page.evaluate(() => Object.keys(localStorage).concat(Object.keys(sessionStorage)).some((k) => /token|jwt/i.test(k))), false, "no token in web storage");

    await page.reload();
    await page.getByTestId("who").filter({ hasText: name }).waitFor();

    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("button", { name: "Create account" }).waitFor();
    await page.reload();
    await page.getByRole("button", { name: "Create account" }).waitFor();
    assert.equal(await page.getByTestId("who").count(), 0, "still logged out after a reload");

    await page.getByLabel("Username").fill(name);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByTestId("home-status").filter({ hasText: "Wrong username or password." }).waitFor();
    await screenshot(page, "session-wrong-password");

    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByTestId("who").filter({ hasText: name }).waitFor();
    await context.close();
  });
});
