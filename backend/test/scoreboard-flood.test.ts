import assert from "node:assert/strict";
import { CloseCode, ScoreboardMessage } from "@arena/shared";
import type { TestBackend } from "./support/test-backend.ts";
import { openSocket, startScoresBackend } from "./scores-support.ts";

const mode = `${process.env.DATABASE_URL ? "postgres" : "pglite"} + ${process.env.REDIS_URL ? "redis" : "memory"}`;
const isSnapshotOf = (board: string) => (m: { type: string; data: any }) => m.type === ScoreboardMessage.Snapshot && m.data.board === board;

describe(`WebSocket /ws/scoreboard message rate limit (${mode})`, function () {
  let backend: TestBackend;
  before(async () => {
    backend = await startScoresBackend({ WS_MAX_MESSAGES_PER_SECOND: "5" });
  });
  after(async () => backend?.close());

  it("closes a flooding client with CloseCode.RateLimited and leaves a normal client alone", async () => {
    const normal = await openSocket(backend.url);
    const flooder = await openSocket(backend.url);
    await flooder.next(isSnapshotOf("general"));
    for (let i = 0; i < 500; i++) flooder.send({ type: ScoreboardMessage.Subscribe, board: "classic", period: "daily" });
    const closed = await flooder.closed;
    assert.equal(closed.code, CloseCode.RateLimited);
    assert.ok(flooder.messages.filter((m) => m.type === ScoreboardMessage.Snapshot).length <= 6, "at most one burst was served");

    normal.send({ type: ScoreboardMessage.Subscribe, board: "classic", period: "daily" });
    normal.send({ type: ScoreboardMessage.Subscribe, board: "shaky", period: "weekly" });
    normal.send({ type: ScoreboardMessage.Subscribe, board: "steps", period: "all" });
    await normal.next(isSnapshotOf("steps"));
    assert.equal(normal.ws.readyState, normal.ws.OPEN);
    normal.close();
  });

  it("has a maximum payload", async () => {
    const sock = await openSocket(backend.url);
    sock.ws.send(JSON.stringify({ type: ScoreboardMessage.Auth, token: "x".repeat(64 * 1024) }));
    const closed = await sock.closed;
    assert.equal(closed.code, 1009, "message too big");
  });
});
