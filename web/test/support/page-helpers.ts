import type { BrowserContext, Page } from "playwright-core";
import type { Product } from "./product.ts";

/** Seconds of the house ad in tests (the product default is 3). */
export const TEST_AD_SECONDS = 1;

/** Points the page at this product's game server (ephemeral port) and shortens the ad. */
export async function configurePage(context: BrowserContext, product: Product): Promise<void> {
  await context.route("**/config.json", (route) =>
    route.fulfill({ json: { backendUrl: product.backendUrl, gameServerUrl: product.gameUrl, adSeconds: TEST_AD_SECONDS } }),
  );
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
  await page.getByTestId("who").filter({ hasText: username }).waitFor();
}

/** A unique, valid username for this run. */
export function uniqueName(prefix: string): string {
  return `${prefix}${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 1e4)}`.slice(0, 20);
}
