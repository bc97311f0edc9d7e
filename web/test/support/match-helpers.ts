import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { newPlayer } from "./browser.ts";
import { configurePage, createRoom, register, uniqueName, waitForPath } from "./page-helpers.ts";
import type { Stage } from "./stage.ts";

/** A player's page in a test. */
export interface Seat {
  page: Page;
  name: string;
  close(): Promise<void>;
}

/** A registered host in a new room, and a guest who joined it by its code. */
export async function hostAndGuest(stage: Stage, viewports: { host?: { width: number; height: number } } = {}): Promise<{ host: Seat; guest: Seat; code: string }> {
  const host = await seat(stage.browser, stage, uniqueName("host"), viewports.host);
  await register(host.page, host.name);
  const code = await createRoom(host.page, { mode: "classic", allowGuests: true });
  const guest = await seat(stage.browser, stage, uniqueName("guest"));
  await guest.page.getByLabel("Nickname").fill(guest.name);
  await guest.page.getByRole("button", { name: "Play as guest" }).click();
  await waitForPath(guest.page, "/lobby");
  await guest.page.getByLabel("Room code").fill(code);
  await guest.page.getByRole("button", { name: "Join", exact: true }).click();
  await guest.page.locator(".players li", { hasText: host.name }).waitFor();
  await host.page.locator(".players li", { hasText: guest.name }).waitFor();
  return { host, guest, code };
}

async function seat(browser: Browser, stage: Stage, name: string, viewport?: { width: number; height: number }): Promise<Seat> {
  const { context, page } = await newPlayer(browser);
  if (viewport) await page.setViewportSize(viewport);
  await configurePage(context, stage.product);
  await page.goto(stage.product.pageUrl);
  return { page, name, close: () => context.close() };
}

/** The field is wholly on screen with the page scrolled to the top (nothing to scroll to reach it). */
export async function assertFieldFits(page: Page): Promise<void> {
  const fit = await page.evaluate(() => {
    const rect = document.querySelector("[data-testid=field]")!.getBoundingClientRect();
    return { top: rect.top, bottom: rect.bottom, left: rect.left, right: rect.right, width: rect.width, scrollY: window.scrollY, innerHeight: window.innerHeight, innerWidth: window.innerWidth };
  });
  const where = JSON.stringify(fit);
  assert.equal(fit.scrollY, 0, `page scrolled: ${where}`);
  assert.ok(fit.top >= 0 && fit.bottom <= fit.innerHeight, `field not within the viewport's height: ${where}`);
  assert.ok(fit.left >= 0 && fit.right <= fit.innerWidth, `field not within the viewport's width: ${where}`);
  assert.ok(fit.width >= 200, `field too small to play: ${where}`);
}

/** Hits the dot at a person's pace until this page's game has ended (the host started the round). */
export async function playRound(page: Page): Promise<void> {
  const dot = page.getByTestId("dot");
  const ended = page.getByTestId("result").locator("p");
  for (let hits = 0; (await ended.count()) === 0 && hits < 100; hits++) {
    if (!(await dot.isVisible())) {
      await page.waitForTimeout(50);
      continue;
    }
    await dot.click({ timeout: 2_000 }).catch(() => {});
    await page.waitForTimeout(300);
  }
}

/** Sends a chat line from `page`. */
export async function say(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}
