import assert from "node:assert/strict";
import { currentStreak, dailyBonusDue, previousUtcDay, utcDayKey } from "./login-streak.ts";

const rules = { base: 50, streakBonus: 10, streakCap: 3 };
const at = (iso: string) => Date.parse(iso);

describe("utcDayKey", () => {
  it("is the UTC calendar day", () => {
    assert.equal(utcDayKey(at("2026-12-02T23:59:59.999Z")), "2026-12-02");
    assert.equal(utcDayKey(at("2026-12-03T00:00:00.000Z")), "2026-12-03");
  });
  it("ignores the local offset of an instant", () => assert.equal(utcDayKey(at("2026-12-02T22:30:00-05:00")), "2026-12-03"));
  it("steps back over month, year and leap days", () => {
    assert.equal(previousUtcDay("2027-01-01"), "2026-12-31");
    assert.equal(previousUtcDay("2028-03-01"), "2028-02-29");
  });
});

describe("dailyBonusDue", () => {
  it("grants the base on a first ever sign-in, streak 1", () => {
    assert.deepEqual(dailyBonusDue({ streak: 0, lastBonusDay: null }, at("2026-12-02T10:00:00Z"), rules), { day: "2026-12-02", streak: 1, amount: 50 });
  });
  it("grants nothing twice on one UTC day", () => {
    assert.equal(dailyBonusDue({ streak: 1, lastBonusDay: "2026-12-02" }, at("2026-12-02T23:59:59Z"), rules), null);
  });
  it("grants nothing when the stored day is ahead of the clock", () => {
    assert.equal(dailyBonusDue({ streak: 1, lastBonusDay: "2026-12-03" }, at("2026-12-02T12:00:00Z"), rules), null);
  });
  it("grows the streak on the next UTC day, one second after midnight", () => {
    assert.deepEqual(dailyBonusDue({ streak: 1, lastBonusDay: "2026-12-02" }, at("2026-12-03T00:00:01Z"), rules), { day: "2026-12-03", streak: 2, amount: 60 });
  });
  it("restarts the streak after a missed day", () => {
    assert.deepEqual(dailyBonusDue({ streak: 5, lastBonusDay: "2026-12-01" }, at("2026-12-03T08:00:00Z"), rules), { day: "2026-12-03", streak: 1, amount: 50 });
  });
  it("caps the streak bonus", () => {
    assert.equal(dailyBonusDue({ streak: 3, lastBonusDay: "2026-12-02" }, at("2026-12-03T08:00:00Z"), rules)!.amount, 80);
    assert.equal(dailyBonusDue({ streak: 40, lastBonusDay: "2026-12-02" }, at("2026-12-03T08:00:00Z"), rules)!.amount, 80);
  });
  it("continues a streak across a year boundary", () => {
    assert.equal(dailyBonusDue({ streak: 2, lastBonusDay: "2026-12-31" }, at("2027-01-01T00:00:00Z"), rules)!.streak, 3);
  });
});

describe("currentStreak", () => {
  it("shows the streak through the day after the last bonus", () => {
    assert.equal(currentStreak({ streak: 4, lastBonusDay: "2026-12-02" }, at("2026-12-02T12:00:00Z")), 4);
    assert.equal(currentStreak({ streak: 4, lastBonusDay: "2026-12-02" }, at("2026-12-03T23:00:00Z")), 4);
  });
  it("is 0 once a day was missed or never started", () => {
    assert.equal(currentStreak({ streak: 4, lastBonusDay: "2026-12-02" }, at("2026-12-04T00:00:00Z")), 0);
    assert.equal(currentStreak({ streak: 0, lastBonusDay: null }, at("2026-12-04T00:00:00Z")), 0);
  });
});
