// The layering check itself (scripts/check-layers.ts) on a small fixture tree: each rule
// catches its violation, allowed imports pass, and a known violation that is gone is reported.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { checkLayers, importsOf, judge } from "../scripts/check-layers.ts";

describe("check:layers", () => {
  let base: string;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(base, file)), { recursive: true });
    writeFileSync(path.join(base, file), text);
  };
  const found = () => checkLayers(base).map((v) => `${v.from} → ${v.to}`).sort();

  beforeEach(() => (base = mkdtempSync(path.join(tmpdir(), "layers-"))));
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it("reads static, type-only, side-effect, re-export and dynamic imports", () => {
    const source = [
      'import a from "./a.ts";',
      'import type { B } from "../b.ts";',
      'import "./side.ts";',
      'export { c } from "@arena/shared/c";',
      "const d = await import(\"./d.ts\");",
      'import {\n  e,\n  f,\n} from "./ef.ts";',
    ].join("\n");
    assert.deepEqual(importsOf(source).sort(), ["../b.ts", "./a.ts", "./d.ts", "./ef.ts", "./side.ts", "@arena/shared/c"]);
  });

  it("passes allowed imports", () => {
    write("shared/src/rules/x.ts", 'import { y } from "../y.ts";');
    write("backend/src/scores/score-service.ts", 'import { a } from "../audit/audit-log.ts";\nimport type { C } from "../config.ts";\nimport { s } from "@arena/shared/contracts/service-token";');
    write("backend/src/app.ts", 'import { w } from "./web/web-component.ts";');
    write("backend/test/x.test.ts", 'import { k } from "./support/kit.ts";');
    write("game-server/src/server.ts", 'import { k } from "@arena/shared/contracts/redis-keys";');
    write("shared/src/rules/r.test.ts", 'import { k } from "../../test-kit/rules-test-kit.ts";');
    assert.deepEqual(found(), []);
  });

  it("catches shared/ importing an app or the database", () => {
    write("shared/src/a.ts", 'import { x } from "../../backend/src/config.ts";\nimport { db } from "@arena/db";\nimport { g } from "@arena/game-server";');
    assert.deepEqual(found(), ["shared/src/a.ts → backend/src/config.ts", "shared/src/a.ts → game-server/src/index.ts", "shared/src/a.ts → prisma/src/index.ts"]);
  });

  it("catches production code importing a test kit", () => {
    write("shared/src/rules/a.ts", 'import { k } from "../../test-kit/rules-test-kit.ts";');
    write("game-server/src/b.ts", 'import { t } from "../test/test-server.ts";');
    write("backend/src/c.ts", 'import { t } from "./c.test.ts";');
    write("scripts/d.ts", 'import { t } from "../backend/test/support/test-backend.ts";');
    write("backend/src/e.ts", 'import { openTestDatabase } from "@arena/db/test-database";');
    assert.deepEqual(found(), [
      "backend/src/c.ts → backend/src/c.test.ts",
      "backend/src/e.ts → prisma/test-kit/test-database.ts",
      "game-server/src/b.ts → game-server/test/test-server.ts",
      "scripts/d.ts → backend/test/support/test-backend.ts",
      "shared/src/rules/a.ts → shared/test-kit/rules-test-kit.ts",
    ]);
  });

  it("catches the two apps importing each other, and web/src importing an app", () => {
    write("backend/src/a.ts", 'import { g } from "@arena/game-server";');
    write("game-server/test/b.ts", 'import { b } from "../../backend/src/app.ts";');
    write("web/src/c.ts", 'import { b } from "@arena/backend";');
    assert.deepEqual(found(), ["backend/src/a.ts → game-server/src/index.ts", "game-server/test/b.ts → backend/src/app.ts", "web/src/c.ts → backend/src/index.ts"]);
  });

  it("catches a backend folder importing a folder above it, an unplaced folder and a composition-root file", () => {
    write("backend/src/leaderboard/l.ts", 'import { s } from "../scores/score-service.ts";');
    write("backend/src/newthing/n.ts", 'import { a } from "../audit/audit-log.ts";');
    write("backend/src/auth/a.ts", 'import { app } from "../app.ts";');
    assert.deepEqual(found(), ["backend/src/auth/a.ts → backend/src/app.ts", "backend/src/leaderboard/l.ts → backend/src/scores/score-service.ts", "backend/src/newthing/n.ts → backend/src/audit/audit-log.ts"]);
  });

  it("accepts a listed violation and reports a listed one that is gone", () => {
    write("backend/src/leaderboard/l.ts", 'import { s } from "../scores/score-service.ts";');
    const known = [
      { from: "backend/src/leaderboard/l.ts", to: "backend/src/scores/score-service.ts", reason: "r" },
      { from: "backend/src/scores/gone.ts", to: "backend/src/admin/a.ts", reason: "r" },
    ];
    const { fresh, stale } = judge(checkLayers(base), known);
    assert.deepEqual([fresh.length, stale.map((k) => k.from)], [0, ["backend/src/scores/gone.ts"]]);
  });
});
