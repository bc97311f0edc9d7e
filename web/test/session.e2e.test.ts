import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { launchBrowser, newPlayer, screenshot } from "./support/browser.ts";
import { buildPage } from "./support/build-page.ts";
import { configurePage, register, uniqueName } from "./support/page-helpers.ts";
import { type Product, startProduct } from "./support/product.ts";

describe("browser: account session", () => {
  let product: Product;
  let browser: Browser;

  before(async () => {
    await buildPage();
    product = await startProduct();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await product?.close();
  });

  it("stays logged in across a reload, logs out for good, and explains a wrong password", async () => {
    const { context, page } = await newPlayer(browser);
    await configurePage(context, product);
    const name = uniqueName("keeper");
    await page.goto(product.pageUrl);
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
