import assert from "node:assert/strict";
import { colyseusKeys, LeaseName, leaseKeys, LoginAttemptName, loginAttemptKeys, outboxKeys, rankCacheKeys, rateLimitKeys, scoreboardChannel, sessionKeys } from "./redis-keys.ts";

// The layout is what running deployments hold in Redis: a changed key strands live sessions,
// leases and queued results, so a change must be deliberate.
describe("redis key layout", () => {
  it("keeps every family under the configured prefix, as deployed", () => {
    assert.equal(sessionKeys("arena:"), "arena:session:");
    assert.equal(leaseKeys("arena:") + LeaseName.presence("42"), "arena:presence:42");
    assert.equal(leaseKeys("arena:") + LeaseName.roomKey("r1"), "arena:roomkey:r1");
    assert.equal(leaseKeys("arena:") + LeaseName.roomCode("ABCDE"), "arena:roomcode:ABCDE");
    assert.equal(leaseKeys("arena:") + LeaseName.guestName("r1", "visitor"), "arena:guestnick:r1:visitor");
    assert.equal(leaseKeys("arena:") + LeaseName.ticketUsed("j1"), "arena:ticketused:j1");
    assert.equal(loginAttemptKeys("arena:") + LoginAttemptName.pair("alice", "10.0.0.1"), "arena:login:pair:alice:10.0.0.1");
    assert.equal(loginAttemptKeys("arena:") + LoginAttemptName.ip("10.0.0.1"), "arena:login:ip:10.0.0.1");
    assert.equal(loginAttemptKeys("arena:") + LoginAttemptName.account("alice"), "arena:login:user:alice");
    assert.equal(outboxKeys("arena:"), "arena:arena:outbox");
    assert.equal(scoreboardChannel("arena:"), "arena:scoreboard");
    assert.equal(rateLimitKeys("arena:", "user"), "arena:rl:user");
    assert.deepEqual(rankCacheKeys("arena:", "classic", "d:2026-12-02"), {
      z: "arena:lb:classic:d:2026-12-02",
      h: "arena:lbm:classic:d:2026-12-02",
      marker: "arena:lbr:classic:d:2026-12-02",
      lock: "arena:lbl:classic:d:2026-12-02",
      tz: "arena:lbt:classic:d:2026-12-02",
      th: "arena:lbtm:classic:d:2026-12-02",
      dirty: "arena:lbd:classic:d:2026-12-02",
    });
  });
  it("gives Colyseus no prefix when none is configured (its own default keys)", () => {
    assert.equal(colyseusKeys(""), undefined);
    assert.equal(colyseusKeys("t1:"), "t1:");
  });
  it("keeps two prefixes apart in every family", () => {
    const families = (p: string) => [sessionKeys(p), leaseKeys(p), outboxKeys(p), scoreboardChannel(p), rateLimitKeys(p, "x"), rankCacheKeys(p, "b", "all").z];
    const a = families("a:");
    const b = families("b:");
    for (let i = 0; i < a.length; i++) assert.notEqual(a[i], b[i]);
  });
});
