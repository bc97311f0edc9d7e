import assert from "node:assert/strict";
import { AppendLog } from "./append-log.ts";
import { hash32 } from "./seeded-random.ts";

describe("AppendLog", () => {
  it("reads its own entries: length, at (negative from the end), iteration, map, JSON", () => {
    const log = AppendLog.empty<string>().append("a").append("b").append("c");
    assert.equal(log.length, 3);
    assert.deepEqual([log.at(0), log.at(2), log.at(-1), log.at(-3), log.at(3), log.at(-4)], ["a", "c", "c", "a", undefined, undefined]);
    assert.deepEqual([...log], ["a", "b", "c"]);
    assert.deepEqual(log.map((x, i) => `${i}${x}`), ["0a", "1b", "2c"]);
    assert.equal(JSON.stringify({ log }), '{"log":["a","b","c"]}');
    assert.deepEqual(AppendLog.from(["x", "y"]).toArray(), ["x", "y"]);
  });

  it("an old version reads as it was after appends from the new version (the tip appends in place)", () => {
    const old = AppendLog.from([1, 2]);
    const tip = old.append(3).append(4);
    assert.deepEqual(old.toArray(), [1, 2]);
    assert.equal(old.at(-1), 2);
    assert.equal(old.at(2), undefined);
    assert.deepEqual([...old], [1, 2]);
    assert.equal(JSON.stringify(old), "[1,2]");
    assert.deepEqual(tip.toArray(), [1, 2, 3, 4]);
  });

  it("appending to an old version leaves both the old and the newer versions as they were", () => {
    const base = AppendLog.from([1]);
    const a = base.append(2);
    const b = base.append(20);
    const a2 = a.append(3);
    const b2 = b.append(30);
    const base2 = base.append(200);
    const a3 = a.append(300);
    assert.deepEqual([base, a, b, a2, b2, base2, a3].map((l) => l.toArray()), [[1], [1, 2], [1, 20], [1, 2, 3], [1, 20, 30], [1, 200], [1, 2, 300]]);
  });

  it("iteration stops at the version's length even when the shared store grows meanwhile", () => {
    const log = AppendLog.from([1, 2]);
    const seen: number[] = [];
    let tip = log;
    for (const x of log) {
      seen.push(x);
      tip = tip.append(x * 10);
    }
    assert.deepEqual(seen, [1, 2]);
    assert.deepEqual(tip.toArray(), [1, 2, 10, 20]);
  });

  it("any interleaving of appends to any version matches copied arrays", () => {
    const logs = [AppendLog.empty<number>()];
    const arrays: number[][] = [[]];
    for (let step = 0; step < 2000; step++) {
      const from = hash32(7, step) % logs.length;
      logs.push(logs[from].append(step));
      arrays.push([...arrays[from], step]);
    }
    logs.forEach((log, i) => assert.deepEqual(log.toArray(), arrays[i], `version ${i}`));
  });
});
