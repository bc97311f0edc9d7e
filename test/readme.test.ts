// The README's configuration tables are generated from the config modules
// (`npm run -s config:docs -- --write`); this fails when a key is added without them.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { backendConfigRows, configMarkdown, gameServerConfigRows } from "../scripts/config-docs.ts";
import { describeBackendConfig } from "@arena/backend";
import { configSchema as gameConfigSchema } from "@arena/game-server";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("documents every configuration key of both apps, with a doc line each", () => {
    const documented = [...backendConfigRows(), ...gameServerConfigRows()];
    const keys = [...describeBackendConfig().map((d) => d.key), ...Object.keys(gameConfigSchema.shape)];
    for (const key of keys) {
      const row = documented.find((r) => r.key === key);
      assert.ok(row?.doc, `${key} has no doc comment in its config.ts`);
    }
    assert.ok(readme.includes(configMarkdown()), "README config tables are stale: run npm run -s config:docs -- --write");
  });
});
