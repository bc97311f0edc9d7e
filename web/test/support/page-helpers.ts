import type { BrowserContext, Page } from "playwright-core";
import type { Product } from "./product.ts";

/** Seconds of the house ad in tests (the product default is 3). */
export const TEST_AD_SECONDS = 1;

/**
 * Shortens the ad in the backend's real `/config.json`. With port 0 the launcher only learns
 * the game server's port after it listens, so the served `gameServerUrl` may still say
 * `:0`: it is set to the product's actual game server URL here. `overrides` replace keys after that.
 */
export async function configurePage(context: BrowserContext, product: Product, overrides: Record<string, unknown> = {}): Promise<void> {
  await context.route("**/config.json", async (route) => {
    const served = (await (await route.fetch()).json()) as Record<string, unknown>;
    await route.fulfill({ json: { ...served, gameServerUrl: product.gameUrl, adSeconds: TEST_AD_SECONDS, ...overrides } });
  });
}

/** The in-app path the page shows (`#/lobby` → `/lobby`). */
export function appPath(page: Page): string {
  return new URL(page.url()).hash.replace(/^#/, "") || "/";
}

/** Waits until the page shows `path` (after the ad, when one runs). */
export async function waitForPath(page: Page, path: string): Promise<void> {
  await page.waitForFunction((want) => (location.hash.replace(/^#/, "") || "/").split("?")[0] === want, path, { timeout: 15_000 });
}

/** Registers (and so logs in) through the home page form. */
export async function register(page: Page, username: string, password = "correct horse battery"): Promise<void> {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page
    .getByTestId("who")
    .filter({ hasText: username })
    .waitFor()
    .catch(async (error: Error) => {
      throw new Error(`register ${username}: ${(await page.getByTestId("home-status").textContent()) || error.message}`);
    });
}

/** A unique, valid username for this run. */
export function uniqueName(prefix: string): string {
  return `${prefix}${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 1e4)}`.slice(0, 20);
}

/** Lobby → create a room with these options → the play page; returns the room code shown. */
export async function createRoom(page: Page, options: { mode: "classic" | "shaky" | "steps"; ranked?: boolean; allowGuests?: boolean }): Promise<string> {
  await page.getByRole("button", { name: "Go to the lobby" }).click();
  await waitForPath(page, "/lobby");
  await page.getByLabel("Mode", { exact: true }).selectOption(options.mode);
  await page.getByLabel(/Ranked/).setChecked(options.ranked ?? false);
  if (!options.ranked) await page.getByLabel(/Guests may join/).setChecked(options.allowGuests ?? true);
  await page.getByRole("button", { name: "Create room" }).click();
  // The room's page opens after the ad: wait for it to be ready, not for the first URL change.
  await page.getByTestId("start").and(page.locator(":enabled")).waitFor();
  if (!appPath(page).startsWith("/play/")) throw new Error(`expected the room's page, got ${appPath(page)}`);
  const code = (await page.getByTestId("room-code").textContent())?.trim() ?? "";
  if (!code) throw new Error("no room code shown");
  return code;
}

/**
 * Presses Start (unless the host starts the round: `pressStart: false`) and hits the dot until
 * the game ends, pausing between hits so the points stay well under the burst threshold (a
 * person's pace, not a bot's). Returns the number of hits sent.
 */
export async function playUntilEnd(page: Page, options: { maxHits?: number; useKeyboard?: boolean; pauseMs?: number; pressStart?: boolean } = {}): Promise<number> {
  await page.bringToFront();
  if (options.pressStart ?? true) await page.getByTestId("start").click();
  const dot = page.getByTestId("dot");
  const result = page.getByTestId("result").locator("p");
  let hits = 0;
  while ((await result.count()) === 0 && hits < (options.maxHits ?? 100)) {
    if (!(await dot.isVisible())) {
      await page.waitForTimeout(50);
      continue;
    }
    const before = await page.getByTestId("score").textContent();
    if (options.useKeyboard) {
      await dot.focus();
      await page.keyboard.press("Enter");
    } else {
      await dot.click({ timeout: 2_000 }).catch(() => {});
    }
    await page.waitForFunction((text) => document.querySelector("[data-testid=score]")?.textContent !== text || document.querySelector("[data-testid=result] p") !== null, before, { timeout: 3_000, polling: 50 }).catch(() => {});
    hits++;
    await page.waitForTimeout(options.pauseMs ?? 250);
  }
  return hits;
}
