import assert from "node:assert/strict";
import { Period } from "@arena/shared";
import { periodEndMs, periodKey } from "./period-keys.ts";

const at = (iso: string) => Date.parse(iso);

describe("period keys at the edges of days, weeks, months and years (UTC)", () => {
  const cases: [string, string, string][] = [
    // instant, daily key, ISO week key
    ["2026-11-22T23:59:59.999Z", "d:2026-11-22", "w:2026-W47"], // Sunday: last ms of the week
    ["2026-11-23T00:00:00.000Z", "d:2026-11-23", "w:2026-W48"], // Monday
    ["2026-12-31T23:59:59.999Z", "d:2026-12-31", "w:2026-W53"], // 2026 has 53 ISO weeks
    ["2027-01-01T00:00:00.000Z", "d:2027-01-01", "w:2026-W53"], // a new year, the same ISO week
    ["2027-01-03T23:59:59.999Z", "d:2027-01-03", "w:2026-W53"],
    ["2027-01-04T00:00:00.000Z", "d:2027-01-04", "w:2027-W01"],
    ["2027-12-31T23:59:59.999Z", "d:2027-12-31", "w:2027-W52"],
    ["2029-12-31T12:00:00.000Z", "d:2029-12-31", "w:2030-W01"], // ISO year ahead of the calendar's
    ["2028-02-29T23:59:59.999Z", "d:2028-02-29", "w:2028-W09"], // leap day
    ["2028-03-01T00:00:00.000Z", "d:2028-03-01", "w:2028-W09"],
    ["2027-04-30T23:59:59.999Z", "d:2027-04-30", "w:2027-W17"], // last ms of a month
  ];
  for (const [instant, daily, weekly] of cases) {
    it(`${instant} → ${daily}, ${weekly}`, () => {
      assert.equal(periodKey(Period.Daily, at(instant)), daily);
      assert.equal(periodKey(Period.Weekly, at(instant)), weekly);
      assert.equal(periodKey(Period.AllTime, at(instant)), "all");
    });
  }

  it("a period ends at the first instant of the next one", () => {
    for (const [instant] of cases) {
      const now = at(instant);
      for (const period of [Period.Daily, Period.Weekly]) {
        const end = periodEndMs(periodKey(period, now));
        assert.ok(end > now, `${period} of ${instant} ends after it`);
        assert.notEqual(periodKey(period, end), periodKey(period, now), `${period} of ${instant}: a new key at its end`);
        assert.equal(periodKey(period, end - 1), periodKey(period, now), `${period} of ${instant}: the same key until then`);
      }
    }
    assert.equal(periodEndMs("all"), Infinity);
  });
});
