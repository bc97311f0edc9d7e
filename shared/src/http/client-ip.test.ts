import assert from "node:assert/strict";
import { clientIp } from "./client-ip.ts";

describe("clientIp (TRUST_PROXY hops)", () => {
  it("is the socket address when no proxy is trusted, whatever the header says", () => {
    assert.equal(clientIp("10.0.0.1", "6.6.6.6", 0), "10.0.0.1");
  });
  it("takes the entry the trusted proxies appended", () => {
    assert.equal(clientIp("10.0.0.1", "6.6.6.6, 1.2.3.4", 1), "1.2.3.4", "a forged first entry is ignored");
    assert.equal(clientIp("10.0.0.1", ["6.6.6.6", "1.2.3.4, 10.0.0.2"], 2), "1.2.3.4");
  });
  it("stops at the first entry when there are fewer hops than trusted", () => {
    assert.equal(clientIp("10.0.0.1", "1.2.3.4", 5), "1.2.3.4");
    assert.equal(clientIp("10.0.0.1", undefined, 1), "10.0.0.1");
    assert.equal(clientIp(undefined, undefined, 0), "unknown");
  });
});
