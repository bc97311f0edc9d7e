import assert from "node:assert/strict";
import { newPlayer, screenshot } from "./support/browser.ts";
import { configurePage, createRoom, register, uniqueName, waitForPath } from "./support/page-helpers.ts";
import type { Product } from "./support/product.ts";
import { useStage } from "./support/stage.ts";

const PASSWORD = "correct horse battery";

/** Credits `username` with points through the admin endpoint, as an admin would (a fresh admin account). */
async function creditPoints(product: Product, username: string, amount: number): Promise<void> {
  const api = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${product.pageUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    assert.ok(res.ok, `${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const admin = uniqueName("admin");
  await api("/auth/register", { username: admin, password: PASSWORD });
  await product.makeAdmin(admin);
  const adminToken = String((await api("/auth/login", { username: admin, password: PASSWORD })).access_token);
  const player = (await api("/auth/login", { username, password: PASSWORD })).user as { id: string };
  await api(`/api/admin/users/${player.id}/points`, { amount, reason: "browser test credit" }, adminToken);
}

describe("browser: profile points and skins", () => {
  const stage = useStage();

  it("a new player sees the daily bonus, is told when points are short, then unlocks, equips and plays in a skin", async () => {
    const { context, page } = await newPlayer(stage.browser);
    await configurePage(context, stage.product);
    const name = uniqueName("skin");
    await page.goto(stage.product.pageUrl);
    await register(page, name);
    await page.getByTestId("daily-bonus").filter({ hasText: "+50 daily bonus" }).waitFor();

    await page.getByRole("link", { name: "Profile" }).click();
    await waitForPath(page, "/profile");
    await page.getByTestId("balance").filter({ hasText: /^50$/ }).waitFor();
    await page.getByTestId("streak").filter({ hasText: "1 day" }).waitFor();
    await page.getByTestId("ledger").locator("tr", { hasText: "Daily login bonus" }).filter({ hasText: "+50" }).waitFor();

    // Not enough points: said in numbers, nothing unlocked.
    await page.getByRole("link", { name: "Skins" }).click();
    await waitForPath(page, "/skins");
    await page.getByRole("button", { name: "Unlock Sunny Square for 200 points" }).click();
    await page.getByTestId("skins-status").filter({ hasText: "it costs 200 and you have 50. You need 150 more" }).waitFor();
    assert.equal(await page.locator('[data-skin-id="sunny-square"][data-owned]').count(), 0);
    await screenshot(page, "skins-points-short");

    await creditPoints(stage.product, name, 300);
    await page.reload();
    await page.getByTestId("skins-balance").filter({ hasText: "350 points" }).waitFor();
    await page.getByRole("button", { name: "Unlock Sunny Square for 200 points" }).click();
    await page.locator('[data-skin-id="sunny-square"][data-owned]').waitFor();
    await page.getByTestId("skins-balance").filter({ hasText: "150 points" }).waitFor();
    await page.getByRole("button", { name: "Equip Sunny Square" }).click();
    await page.locator('[data-skin-id="sunny-square"][data-equipped]').getByTestId("skin-state").filter({ hasText: "Equipped" }).waitFor();
    await screenshot(page, "skins-equipped");

    // The dot and the player's own line in the room are drawn in the new skin.
    await page.getByRole("link", { name: "Dot Arena" }).click();
    await waitForPath(page, "/");
    await createRoom(page, { mode: "classic" });
    assert.equal(await page.getByTestId("dot").getAttribute("data-skin"), "sunny-square");
    await page.locator(".players li[data-me] [data-skin=sunny-square]").waitFor();
    await context.close();
  });
});
