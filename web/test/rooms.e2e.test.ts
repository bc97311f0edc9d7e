import assert from "node:assert/strict";
import { newPlayer, screenshot } from "./support/browser.ts";
import { configurePage, createRoom, register, uniqueName, waitForPath } from "./support/page-helpers.ts";
import { useStage } from "./support/stage.ts";

describe("browser: rooms", () => {
  const stage = useStage();

  it("a room created in one page is listed and joined by its code from another", async () => {
    const host = await newPlayer(stage.browser);
    await configurePage(host.context, stage.product);
    const hostName = uniqueName("host");
    await host.page.goto(stage.product.pageUrl);
    await register(host.page, hostName);
    const code = await createRoom(host.page, { mode: "classic", allowGuests: true });
    assert.match(code, /^[A-Z0-9]{4,12}$/);

    const guest = await newPlayer(stage.browser);
    await configurePage(guest.context, stage.product);
    const guestName = uniqueName("guest");
    await guest.page.goto(stage.product.pageUrl);
    await guest.page.getByLabel("Nickname").fill(guestName);
    await guest.page.getByRole("button", { name: "Play as guest" }).click();
    await waitForPath(guest.page, "/lobby");
    await guest.page.getByTestId("room-list").getByText(code, { exact: true }).waitFor();
    await guest.page.getByLabel("Room code").fill(code.toLowerCase());
    await guest.page.getByRole("button", { name: "Join", exact: true }).click();
    await guest.page.waitForFunction(() => location.hash.startsWith("#/play/"));
    // Only the host starts a match: the guest's Start is off, and says why.
    await guest.page.getByTestId("start-reason").filter({ hasText: `Only the host (${hostName}) can start` }).waitFor();
    assert.equal(await guest.page.getByTestId("start").isDisabled(), true);

    assert.equal((await guest.page.getByTestId("room-code").textContent())?.trim(), code);
    const hostUrl = new URL(host.page.url()).hash.split("?")[0];
    const guestUrl = new URL(guest.page.url()).hash.split("?")[0];
    assert.equal(guestUrl, hostUrl, "both pages are in the same room");
    await guest.page.getByTestId("play-notice").filter({ hasText: "won't be saved" }).waitFor();

    // Each page sees the other player through the synced room state.
    await host.page.locator(".players li", { hasText: guestName }).waitFor();
    await guest.page.locator(".players li", { hasText: hostName }).locator("[data-badge=host]").waitFor();
    await host.page.getByTestId("start").and(host.page.locator(":enabled")).waitFor();

    await screenshot(host.page, "rooms-host-sees-guest");
    await screenshot(guest.page, "rooms-guest-joined-by-code");
    await host.context.close();
    await guest.context.close();
  });

  it("a ws:// game-server address (as docker-compose.yml gives it) reaches the game server", async () => {
    const { context, page } = await newPlayer(stage.browser);
    await configurePage(context, stage.product, { gameServerUrl: stage.product.gameUrl.replace(/^http/, "ws") });
    await page.goto(stage.product.pageUrl);
    await register(page, uniqueName("wsaddr"));
    const code = await createRoom(page, { mode: "classic" });
    assert.match(code, /^[A-Z0-9]{4,12}$/, "the room was created over HTTP and joined over the SDK");
    await context.close();
  });

  it("an unusable game-server address stops the page with a visible error naming it", async () => {
    const { context, page } = await newPlayer(stage.browser);
    const logged: string[] = [];
    page.on("console", (message) => void (message.type() === "error" && logged.push(message.text())));
    await configurePage(context, stage.product, { gameServerUrl: "localhost:2567" });
    await page.goto(stage.product.pageUrl);
    const alert = page.getByTestId("boot-error");
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? "", /gameServerUrl "localhost:2567" must be an http\(s\):\/\/ or ws\(s\):\/\/ URL/);
    assert.ok(logged.some((text) => text.includes("gameServerUrl")), `console errors: ${logged.join(" | ")}`);
    await screenshot(page, "config-invalid-game-server-url");
    await context.close();
  });

  it("a wrong room code is explained in words", async () => {
    const { context, page } = await newPlayer(stage.browser);
    await configurePage(context, stage.product);
    await page.goto(stage.product.pageUrl);
    await page.getByLabel("Nickname").fill(uniqueName("lost"));
    await page.getByRole("button", { name: "Play as guest" }).click();
    await waitForPath(page, "/lobby");
    await page.getByLabel("Room code").fill("ZZZZZZ");
    await page.getByRole("button", { name: "Join", exact: true }).click();
    await page.getByTestId("lobby-status").filter({ hasText: "No room with that code" }).waitFor();
    await screenshot(page, "rooms-unknown-code");
    await context.close();
  });
});
