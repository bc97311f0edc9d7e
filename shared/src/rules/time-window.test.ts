import assert from "node:assert/strict";
import { hash32 } from "./seeded-random.ts";
import { TimeWindow } from "./time-window.ts";

/** The window as a plain array: what the burst rule did before (filter, then push). */
const reference = {
  after: (ts: number[], cutoff: number) => ts.filter((t) => t > cutoff),
  add: (ts: number[], t: number) => [...ts, t].sort((a, b) => a - b),
};

describe("TimeWindow", () => {
  it("drops timestamps at or before the cutoff and keeps later ones in time order", () => {
    const w = TimeWindow.from([10, 20, 20, 30]);
    assert.deepEqual(w.after(20).toArray(), [30]);
    assert.deepEqual(w.after(19).toArray(), [20, 20, 30]);
    assert.equal(w.after(5), w, "nothing dropped: the same window");
    assert.equal(w.after(99).length, 0);
    assert.deepEqual(w.last(2), [20, 30]);
    assert.deepEqual(w.last(10), [10, 20, 20, 30]);
    assert.equal(JSON.stringify(w.after(15)), "[20,20,30]");
  });

  it("an old version reads as it was after the newer one drops and adds", () => {
    const old = TimeWindow.from([1, 2, 3]);
    const tip = old.after(2).add(4).add(5);
    assert.deepEqual(old.toArray(), [1, 2, 3]);
    assert.deepEqual(old.last(1), [3]);
    assert.deepEqual([...old], [1, 2, 3]);
    assert.deepEqual(tip.toArray(), [3, 4, 5]);
  });

  it("adding to an old version leaves the old and the newer versions as they were", () => {
    const base = TimeWindow.from([1, 2]);
    const a = base.add(3);
    const b = base.add(30);
    const c = base.after(1).add(300);
    const a2 = a.add(4);
    const b2 = b.after(2).add(40);
    assert.deepEqual([base, a, b, c, a2, b2].map((w) => w.toArray()), [[1, 2], [1, 2, 3], [1, 2, 30], [2, 300], [1, 2, 3, 4], [30, 40]]);
  });

  it("a timestamp earlier than the last (the clock went back) goes to its place without touching other versions", () => {
    const base = TimeWindow.from([10, 20, 30]);
    const back = base.add(15);
    assert.deepEqual(back.toArray(), [10, 15, 20, 30]);
    assert.deepEqual(back.after(15).toArray(), [20, 30], "dropped by value, as a filter would");
    assert.deepEqual(base.toArray(), [10, 20, 30]);
  });

  it("a long slide compacts the store and keeps every version right", () => {
    let w = TimeWindow.empty();
    const kept: TimeWindow[] = [];
    for (let t = 1; t <= 5000; t++) {
      w = w.after(t - 100).add(t);
      if (t % 997 === 0) kept.push(w);
    }
    assert.equal(w.length, 100);
    assert.deepEqual(w.toArray(), Array.from({ length: 100 }, (_, i) => 4901 + i));
    kept.forEach((k, i) => assert.deepEqual(k.toArray(), Array.from({ length: 100 }, (_, j) => (i + 1) * 997 - 99 + j)));
  });

  it("any interleaving of drops and adds on any version, the clock sometimes going back, matches the plain-array window", () => {
    const windows = [TimeWindow.empty()];
    const arrays: number[][] = [[]];
    const clocks = [0];
    for (let step = 0; step < 3000; step++) {
      const from = hash32(3, step) % 5 === 0 ? hash32(5, step) % windows.length : windows.length - 1;
      const now = clocks[from] + (hash32(9, step) % 40) - 5;
      const cutoff = now - 100;
      windows.push(windows[from].after(cutoff).add(now));
      arrays.push(reference.add(reference.after(arrays[from], cutoff), now));
      clocks.push(now);
    }
    windows.forEach((w, i) => assert.deepEqual(w.toArray(), arrays[i], `version ${i}`));
  });
});
