import type { Browser } from "playwright-core";
import { launchBrowser } from "./browser.ts";
import { buildPage } from "./build-page.ts";
import { type Product, startProduct } from "./product.ts";

/** What every browser suite plays on: the built page, the running product, one Chromium. */
export interface Stage {
  product: Product;
  browser: Browser;
}

/**
 * Registers the suite's before/after hooks (build the page, start the product in-process,
 * launch Chromium; then close both) and returns the stage they fill in.
 */
export function useStage(options: Parameters<typeof startProduct>[0] = {}): Stage {
  const stage = {} as Stage;
  before(async () => {
    await buildPage();
    stage.product = await startProduct(options);
    stage.browser = await launchBrowser();
  });
  after(async () => {
    await stage.browser?.close();
    await stage.product?.close();
  });
  return stage;
}
