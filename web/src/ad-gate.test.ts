import assert from "node:assert/strict";
import { AD_KEYS, type AdStorage, completeAd, gatePageLoad, pageOf } from "./ad-gate.ts";

/** A Map-backed storage, as `localStorage` behaves. */
function memoryStorage(initial: Record<string, string> = {}): AdStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, String(value)),
  };
}

describe("ad gate", () => {
  it("sends a first visit to a non-home page to the ad, remembering the page", () => {
    const storage = memoryStorage();
    assert.deepEqual(gatePageLoad(storage, "/lobby"), { action: "ad", to: "/ad", next: "/lobby" });
    assert.equal(storage.getItem(AD_KEYS.currentPage), "/lobby");
    assert.equal(storage.getItem(AD_KEYS.adHasRun), "false");
    assert.equal(storage.getItem(AD_KEYS.nextUrl), "/lobby");
  });

  it("after the ad, returns to the stored next URL and shows it without another ad", () => {
    const storage = memoryStorage();
    gatePageLoad(storage, "/scoreboard?board=classic");
    assert.deepEqual(gatePageLoad(storage, "/ad"), { action: "show" });
    assert.equal(completeAd(storage), "/scoreboard?board=classic");
    assert.equal(storage.getItem(AD_KEYS.adHasRun), "true");
    assert.deepEqual(gatePageLoad(storage, "/scoreboard?board=classic"), { action: "show" });
  });

  it("reloading the same page after the ad shows it again without an ad", () => {
    const storage = memoryStorage();
    gatePageLoad(storage, "/lobby");
    completeAd(storage);
    assert.deepEqual(gatePageLoad(storage, "/lobby"), { action: "show" });
    assert.deepEqual(gatePageLoad(storage, "/lobby/"), { action: "show" }, "a trailing slash is the same page");
  });

  it("moving to a different page resets adHasRun and shows the ad again", () => {
    const storage = memoryStorage();
    gatePageLoad(storage, "/lobby");
    completeAd(storage);
    assert.equal(gatePageLoad(storage, "/scoreboard").action, "ad");
    assert.equal(storage.getItem(AD_KEYS.adHasRun), "false");
  });

  it("never gates the home page and always resets adHasRun there", () => {
    const storage = memoryStorage({ [AD_KEYS.currentPage]: "/", [AD_KEYS.adHasRun]: "true" });
    assert.deepEqual(gatePageLoad(storage, "/"), { action: "show" });
    assert.equal(storage.getItem(AD_KEYS.adHasRun), "false", "same page, still reset");
    assert.equal(storage.getItem(AD_KEYS.currentPage), "/");
  });

  it("going home and back to the previous page shows the ad again", () => {
    const storage = memoryStorage();
    gatePageLoad(storage, "/lobby");
    completeAd(storage);
    gatePageLoad(storage, "/");
    assert.equal(gatePageLoad(storage, "/lobby").action, "ad");
  });

  it("loading the ad route changes nothing, so returning from it cannot loop", () => {
    const storage = memoryStorage();
    gatePageLoad(storage, "/lobby");
    const before = new Map(storage.data);
    gatePageLoad(storage, "/ad");
    gatePageLoad(storage, "/ad?x=1");
    assert.deepEqual(storage.data, before);
  });

  it("treats anything but the string 'true' as an ad not yet run", () => {
    const storage = memoryStorage({ [AD_KEYS.currentPage]: "/lobby", [AD_KEYS.adHasRun]: "yes" });
    assert.equal(gatePageLoad(storage, "/lobby").action, "ad");
  });

  it("a page with adHasRun true stays shown when another tab stored the same page", () => {
    const storage = memoryStorage({ [AD_KEYS.currentPage]: "/lobby", [AD_KEYS.adHasRun]: "true" });
    assert.deepEqual(gatePageLoad(storage, "/lobby"), { action: "show" });
  });

  it("completing the ad with no stored next URL goes home", () => {
    const storage = memoryStorage();
    assert.equal(completeAd(storage), "/");
  });

  for (const evil of ["//evil.example/x", "https://evil.example/", "javascript:alert(1)", "/\\evil.example", "/ad", "lobby"]) {
    it(`refuses to redirect to a stored next URL outside the app: ${JSON.stringify(evil)}`, () => {
      const storage = memoryStorage({ [AD_KEYS.nextUrl]: evil });
      assert.equal(completeAd(storage), "/");
    });
  }

  it("after completing, the next URL's page is current, so loading it shows it", () => {
    const storage = memoryStorage({ [AD_KEYS.currentPage]: "/other", [AD_KEYS.nextUrl]: "/lobby" });
    const next = completeAd(storage);
    assert.deepEqual(gatePageLoad(storage, next), { action: "show" });
  });

  it("honours custom home and ad routes", () => {
    const storage = memoryStorage();
    const routes = { home: "/home", ad: "/sponsor" };
    assert.deepEqual(gatePageLoad(storage, "/home", routes), { action: "show" });
    assert.deepEqual(gatePageLoad(storage, "/", routes), { action: "ad", to: "/sponsor", next: "/" });
  });

  it("normalises page paths", () => {
    assert.equal(pageOf(""), "/");
    assert.equal(pageOf("/"), "/");
    assert.equal(pageOf("/lobby/?a=1#x"), "/lobby");
    assert.equal(pageOf("play/abc"), "/play/abc");
    assert.equal(pageOf("///"), "/");
  });
});
