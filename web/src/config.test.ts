import assert from "node:assert/strict";
import { ConfigError, defaultConfig, mergeConfig } from "./config.ts";

describe("page config", () => {
  const base = defaultConfig({ origin: "https://arena.example", protocol: "https:", hostname: "arena.example" });

  it("defaults to the page's origin and the same host on port 2567", () => {
    assert.equal(base.backendUrl, "https://arena.example");
    assert.equal(base.gameServerUrl, "https://arena.example:2567");
    assert.equal(base.adSeconds, 3);
  });

  it("takes the keys from /config.json, keeps defaults for missing ones and ignores unknown ones", () => {
    const merged = mergeConfig(base, { gameServerUrl: "https://play.arena.example/", adSeconds: 0, extra: 1 });
    assert.equal(merged.gameServerUrl, "https://play.arena.example");
    assert.equal(merged.adSeconds, 0);
    assert.equal(merged.heartbeatSeconds, base.heartbeatSeconds);
    assert.equal(merged.backendUrl, base.backendUrl);
    assert.deepEqual(mergeConfig(base, {}), base);
  });

  it("accepts a ws(s):// game-server address (as docker-compose.yml gives it) as its http(s) origin", () => {
    assert.equal(mergeConfig(base, { gameServerUrl: "ws://localhost:2567" }).gameServerUrl, "http://localhost:2567");
    assert.equal(mergeConfig(base, { gameServerUrl: "wss://play.arena.example/" }).gameServerUrl, "https://play.arena.example");
    assert.equal(mergeConfig(base, { gameServerUrl: "WSS://Play.Arena.example:443/game" }).gameServerUrl, "https://play.arena.example/game");
  });

  it("refuses an unusable value loudly, naming the key and the value, instead of falling back", () => {
    const refused = (raw: unknown) => {
      try {
        mergeConfig(base, raw);
      } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return error.message;
      }
      assert.fail(`accepted ${JSON.stringify(raw)}`);
    };
    assert.match(refused({ gameServerUrl: "localhost:2567" }), /gameServerUrl "localhost:2567" must be an http\(s\):\/\/ or ws\(s\):\/\/ URL/);
    assert.match(refused({ gameServerUrl: "ftp://arena.example" }), /gameServerUrl/);
    assert.match(refused({ gameServerUrl: "ws://" }), /gameServerUrl/);
    assert.match(refused({ gameServerUrl: 2567 }), /gameServerUrl 2567/);
    assert.match(refused({ backendUrl: "javascript:alert(1)" }), /backendUrl "javascript:alert\(1\)" must be an http\(s\):\/\/ URL/);
    assert.match(refused({ backendUrl: "ws://arena.example" }), /backendUrl/);
    assert.match(refused({ heartbeatSeconds: 0 }), /heartbeatSeconds 0 must be a number of seconds > 0/);
    assert.match(refused({ heartbeatSeconds: "soon" }), /heartbeatSeconds "soon"/);
    const both = refused({ adSeconds: -1, gameServerUrl: "nope" });
    assert.match(both, /gameServerUrl "nope"/);
    assert.match(both, /adSeconds -1/);
    assert.match(refused(null), /not a JSON object/);
    assert.match(refused([]), /not a JSON object/);
  });
});
