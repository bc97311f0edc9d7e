import assert from "node:assert/strict";
import { defaultConfig, mergeConfig } from "./config.ts";

describe("page config", () => {
  const base = defaultConfig({ origin: "https://arena.example", protocol: "https:", hostname: "arena.example" });

  it("defaults to the page's origin and the same host on port 2567", () => {
    assert.equal(base.backendUrl, "https://arena.example");
    assert.equal(base.gameServerUrl, "https://arena.example:2567");
    assert.equal(base.adSeconds, 3);
  });

  it("takes well-typed keys from /config.json and ignores the rest", () => {
    const merged = mergeConfig(base, { gameServerUrl: "https://play.arena.example/", adSeconds: 0, heartbeatSeconds: "soon", extra: 1 });
    assert.equal(merged.gameServerUrl, "https://play.arena.example");
    assert.equal(merged.adSeconds, 0);
    assert.equal(merged.heartbeatSeconds, base.heartbeatSeconds);
  });

  it("refuses non-http URLs and negative or zero heartbeats", () => {
    const merged = mergeConfig(base, { backendUrl: "javascript:alert(1)", heartbeatSeconds: 0, adSeconds: -1 });
    assert.deepEqual(merged, base);
    assert.deepEqual(mergeConfig(base, null), base);
  });
});
