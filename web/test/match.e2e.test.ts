import assert from "node:assert/strict";
import { ERROR_TEXT } from "../src/error-text.ts";
import { screenshot } from "./support/browser.ts";
import { assertFieldFits, hostAndGuest, playRound, say } from "./support/match-helpers.ts";
import { useStage } from "./support/stage.ts";

describe("browser: matches", () => {
  // Games long enough for a reload in the middle of one.
  const stage = useStage({ gameMs: 8_000 });

  it("a host and a guest chat, see the same countdown, play one match and both see the podium", async () => {
    const { host, guest } = await hostAndGuest(stage, { host: { width: 1280, height: 800 } });
    await host.page.getByTestId("play-status").filter({ hasText: `${guest.name} (guest) joined the room.` }).waitFor();

    // Chat both ways before the round.
    await say(host.page, "ready when you are");
    await guest.page.getByTestId("chat-line").filter({ hasText: "ready when you are" }).filter({ hasText: host.name }).waitFor();
    await say(guest.page, "go go go");
    await host.page.getByTestId("chat-line").filter({ hasText: "go go go" }).filter({ hasText: guest.name }).waitFor();
    // A flood is refused in words, with the wait.
    for (let i = 0; i < 6; i++) await say(guest.page, `spam ${i}`);
    await guest.page.getByTestId("chat-status").filter({ hasText: /^You're sending messages too fast\. \(wait \d+ s\)$/ }).waitFor();

    await guest.page.getByTestId("ready").click();
    await host.page.locator(".players li", { hasText: guest.name }).locator("[data-badge=ready]").waitFor();
    await host.page.getByTestId("start").and(host.page.locator(":enabled")).click();

    // Both count down to the same server instant.
    const hostCount = host.page.getByTestId("countdown");
    const guestCount = guest.page.getByTestId("countdown");
    await hostCount.filter({ hasText: /^[123]$/ }).waitFor();
    await guestCount.filter({ hasText: /^[123]$/ }).waitFor();
    const startsAt = await hostCount.getAttribute("data-starts-at");
    assert.ok(Number(startsAt) > 0);
    assert.equal(await guestCount.getAttribute("data-starts-at"), startsAt);

    // The field fits the window, on a desktop and on a phone, without scrolling.
    await host.page.getByTestId("dot").waitFor();
    await guest.page.getByTestId("dot").waitFor();
    await assertFieldFits(host.page);
    await assertFieldFits(guest.page);
    await screenshot(host.page, "match-running-1280x800");
    await screenshot(guest.page, "match-running-390x844");

    await Promise.all([playRound(host.page), playRound(guest.page)]);

    // Both see the podium with both players placed; the guest is told guests earn nothing.
    for (const page of [host.page, guest.page]) {
      const podium = page.getByTestId("podium");
      await podium.waitFor();
      assert.equal(await podium.getByTestId("placement").count(), 2);
      await podium.locator("li", { hasText: host.name }).getByTestId("points-earned").filter({ hasText: /^\+\d+ profile points$/ }).waitFor();
      await podium.locator("li", { hasText: guest.name }).getByTestId("points-earned").filter({ hasText: "guest: no profile points" }).waitFor();
    }
    await guest.page.getByTestId("guest-earns-nothing").waitFor();
    await screenshot(host.page, "match-podium-host");
    await screenshot(guest.page, "match-podium-guest");

    // Play again: back to the room's lobby, where the host can start the next round.
    await host.page.getByTestId("play-again").click();
    assert.equal(await host.page.getByTestId("podium").count(), 0);
    await host.page.getByTestId("start").and(host.page.locator(":enabled")).waitFor();
    await host.close();
    await guest.close();
  });

  it("a reload in the middle of a round takes the same seat back and plays on", async () => {
    const { host, guest } = await hostAndGuest(stage);
    await host.page.getByTestId("start").and(host.page.locator(":enabled")).click();
    await guest.page.getByTestId("dot").waitFor();
    const mine = guest.page.locator(".players li[data-me]");
    const seatBefore = await mine.getAttribute("data-session");
    assert.ok(seatBefore);

    await guest.page.reload();
    // Back in the room, in the same seat, with the round still running for this player.
    await guest.page.getByTestId("dot").waitFor();
    assert.equal(await mine.getAttribute("data-session"), seatBefore);
    assert.equal(await guest.page.locator(".players li").count(), 2);
    const status = (await guest.page.getByTestId("play-status").textContent()) ?? "";
    assert.ok(!status.includes(ERROR_TEXT.ALREADY_IN_ROOM) && !status.includes(ERROR_TEXT.NICKNAME_TAKEN), `status after reload: ${status}`);
    await screenshot(guest.page, "match-rejoined-after-reload");

    await playRound(guest.page);
    await guest.page.getByTestId("podium").locator("li", { hasText: guest.name }).waitFor();
    await host.page.getByTestId("podium").locator("li", { hasText: guest.name }).waitFor();
    await host.close();
    await guest.close();
  });
});
