import assert from "node:assert/strict";
import { AppError } from "@arena/shared";
import { RequestBudget } from "./request-budget.ts";

const code = async (p: Promise<unknown>) => p.then(() => "ok", (err: AppError) => err.code);

describe("RequestBudget", () => {
  it("refuses past its budget with RATE_LIMIT_EXCEEDED and the seconds to wait; keys are apart", async () => {
    const budget = new RequestBudget("t1", 2);
    assert.equal(await budget.spend("a", async () => 1), 1);
    assert.equal(await budget.spend("a", async () => 2), 2);
    const refused = await budget.spend("a", async () => 3).catch((err: AppError) => err);
    assert.ok(refused instanceof AppError);
    assert.equal(refused.code, "RATE_LIMIT_EXCEEDED");
    assert.ok(refused.retryAfter! >= 1 && refused.retryAfter! <= 60);
    assert.equal(await budget.spend("b", async () => 4), 4);
  });

  it("gives back a request that failed on the server's side (5xx), not one the client got wrong (4xx)", async () => {
    const budget = new RequestBudget("t2", 1);
    for (let i = 0; i < 3; i++) assert.equal(await code(budget.spend("a", async () => Promise.reject(new AppError("SERVICE_UNAVAILABLE")))), "SERVICE_UNAVAILABLE");
    assert.equal(await code(budget.spend("a", async () => Promise.reject(new AppError("ROOM_NOT_FOUND")))), "ROOM_NOT_FOUND");
    assert.equal(await code(budget.spend("a", async () => "served")), "RATE_LIMIT_EXCEEDED");
  });
});
