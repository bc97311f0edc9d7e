import assert from "node:assert/strict";
import { FIELD } from "./game-settings.ts";
import { isHit, positionAt, targetAt } from "./mode-rules.ts";

describe("mode rules", () => {
  it("targets are a pure function of seed and index", () => {
    assert.deepEqual(targetAt("classic", 77, 3), targetAt("classic", 77, 3));
    assert.notDeepEqual(targetAt("classic", 77, 3), targetAt("classic", 78, 3));
    assert.notDeepEqual(targetAt("classic", 77, 3), targetAt("classic", 77, 4));
  });

  it("targets stay inside the field", () => {
    for (let i = 0; i < 500; i++) {
      const t = targetAt("classic", 5, i);
      assert.ok(t.x - t.radius >= 0 && t.x + t.radius <= FIELD.width && t.y - t.radius >= 0 && t.y + t.radius <= FIELD.height);
    }
  });

  it("a classic hit must be within the radius and aimed at the current target", () => {
    const t = targetAt("classic", 1, 0);
    assert.ok(isHit(t, { target: 0, x: t.x + t.radius, y: t.y }, 0));
    assert.ok(!isHit(t, { target: 0, x: t.x + t.radius + 0.01, y: t.y }, 0));
    assert.ok(!isHit(t, { target: 1, x: t.x, y: t.y }, 0));
  });

  it("a classic dot does not move while it waits", () => {
    const t = targetAt("classic", 1, 0);
    assert.deepEqual(positionAt(t, 12_345), { x: t.x, y: t.y });
  });

  it("a shaky dot shakes by at most its amplitude and starts at rest", () => {
    const t = targetAt("shaky", 1, 0);
    assert.deepEqual(positionAt(t, 0), { x: t.x, y: t.y });
    let moved = false;
    for (let ms = 0; ms < 5000; ms += 7) {
      const p = positionAt(t, ms);
      assert.ok(Math.abs(p.x - t.x) <= FIELD.shakeAmplitude + 1e-9 && Math.abs(p.y - t.y) <= FIELD.shakeAmplitude + 1e-9);
      if (p.x !== t.x || p.y !== t.y) moved = true;
    }
    assert.ok(moved);
  });

  it("a shaky hit counts where the dot was at that time, not elsewhere", () => {
    const t = targetAt("shaky", 3, 2);
    let ms = 0;
    let p = positionAt(t, ms);
    while (Math.hypot(p.x - t.x, p.y - t.y) < 4) p = positionAt(t, (ms += 10));
    const d = Math.hypot(p.x - t.x, p.y - t.y);
    const hit = { target: 2, x: p.x + ((p.x - t.x) / d) * (t.radius - 0.5), y: p.y + ((p.y - t.y) / d) * (t.radius - 0.5) };
    assert.ok(isHit(t, hit, ms));
    assert.ok(!isHit(t, hit, 0));
  });

  it("the shake path is reproducible from the target alone (client and server agree)", () => {
    const t = targetAt("shaky", 9, 4);
    const copy = JSON.parse(JSON.stringify(t));
    assert.deepEqual(positionAt(copy, 1234), positionAt(t, 1234));
  });
});
