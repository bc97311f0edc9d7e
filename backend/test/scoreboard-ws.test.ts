import assert from "node:assert/strict";
import { CloseCode, ScoreboardMessage } from "@arena/shared";
import type { TestBackend } from "./support/test-backend.ts";
import { action, newPlayer, openSocket, postScore, serviceKeys, startScoresBackend } from "./scores-support.ts";
import { randomUUID } from "node:crypto";

const mode = `${process.env.DATABASE_URL ? "postgres" : "pglite"} + ${process.env.REDIS_URL ? "redis" : "memory"}`;
const isUpdate = (m: { type: string }) => m.type === ScoreboardMessage.LeaderboardUpdate;

describe(`WebSocket /ws/scoreboard (${mode})`, function () {
  let backend: TestBackend;
  const keys = serviceKeys();
  before(async () => {
    backend = await startScoresBackend({ WS_CONNECTION_LIMIT: "4", SERVICE_PUBLIC_KEY: keys.publicPem });
  });
  after(async () => backend?.close());

  it("lets a guest watch: SNAPSHOT, then LEADERBOARD_UPDATE with changed_ranks in ascending order", async () => {
    const a = await newPlayer(backend);
    const b = await newPlayer(backend);
    const c = await newPlayer(backend);
    await postScore(backend, a.token, action(30));
    await postScore(backend, b.token, action(20));
    await postScore(backend, c.token, action(10));
    const guest = await openSocket(backend.url);
    const snap = await guest.next((m) => m.type === ScoreboardMessage.Snapshot);
    assert.deepEqual(snap.data.leaderboard.map((e: any) => e.user_id), [a.id, b.id, c.id]);
    await postScore(backend, c.token, action(25)); // c: 35 → rank 1, a → 2, b → 3
    const update = await guest.next(isUpdate);
    assert.deepEqual(Object.keys(update.data).sort(), ["changed_ranks", "leaderboard", "timestamp"]);
    assert.deepEqual(update.data.changed_ranks, [1, 2, 3], JSON.stringify({ ids: [a.id, b.id, c.id], snap: snap.data.leaderboard, msgs: guest.messages }));
    assert.deepEqual(update.data.leaderboard.map((e: any) => [e.rank, e.user_id, e.score]), [[1, c.id, 35], [2, a.id, 30], [3, b.id, 20]]);
    assert.ok(!Number.isNaN(Date.parse(update.data.timestamp)));
    guest.messages.length = 0;
    await postScore(backend, b.token, action(5)); // b: 25, still rank 3 → only rank 3 changed
    const small = await guest.next(isUpdate);
    assert.deepEqual(small.data.changed_ranks, [3]);
    guest.close();
  });

  it("sends SCORE_UPDATE only to the scoring user (header auth and first-message auth)", async () => {
    const p = await newPlayer(backend);
    const other = await newPlayer(backend);
    const viaHeader = await openSocket(backend.url, { authorization: `Bearer ${p.token}` });
    const viaMessage = await openSocket(backend.url);
    viaMessage.send({ type: ScoreboardMessage.Auth, token: p.token });
    const stranger = await openSocket(backend.url, { authorization: `Bearer ${other.token}` });
    await viaHeader.next((m) => m.type === ScoreboardMessage.Snapshot);
    await viaMessage.next((m) => m.type === ScoreboardMessage.Snapshot);
    await new Promise((r) => setTimeout(r, 100)); // let the AUTH message land before the score
    await postScore(backend, p.token, action(12));
    for (const sock of [viaHeader, viaMessage]) {
      const msg = await sock.next((m) => m.type === ScoreboardMessage.ScoreUpdate);
      assert.equal(msg.data.new_score, 12);
      assert.equal(msg.data.points_gained, 12);
      assert.ok(msg.data.rank >= 1);
    }
    await stranger.next(isUpdate);
    assert.equal(stranger.messages.filter((m) => m.type === ScoreboardMessage.ScoreUpdate).length, 0);
    for (const s of [viaHeader, viaMessage, stranger]) s.close();
  });

  it("closes a connection with a bad token with 4002 and enforces WS_CONNECTION_LIMIT with 4001", async () => {
    const bad = await openSocket(backend.url, { authorization: "Bearer nope" });
    assert.equal((await bad.closed).code, CloseCode.Unauthorized);
    const badMsg = await openSocket(backend.url);
    badMsg.send({ type: ScoreboardMessage.Auth, token: "nope" });
    assert.equal((await badMsg.closed).code, CloseCode.Unauthorized);
    const open = [];
    for (let i = 0; i < 4; i++) open.push(await openSocket(backend.url));
    const extra = await openSocket(backend.url);
    assert.equal((await extra.closed).code, CloseCode.ConnectionLimit);
    for (const s of open) s.close();
    await Promise.all(open.map((s) => s.closed));
  });

  it("watches the board chosen with SUBSCRIBE: a game result reaches the classic board live", async () => {
    const p = await newPlayer(backend);
    const watcher = await openSocket(backend.url);
    watcher.send({ type: ScoreboardMessage.Subscribe, board: "classic", period: "daily" });
    const snap = await watcher.next((m) => m.type === ScoreboardMessage.Snapshot && m.data.board === "classic");
    assert.equal(snap.data.period, "daily");
    const res = await backend.api("POST", "/internal/game-results", {
      token: keys.sign(),
      body: { result_id: randomUUID(), user_id: p.id, mode: "classic", score: 77, points: 77, started_at: new Date(Date.now() - 30_000).toISOString(), ended_at: new Date().toISOString() },
    });
    assert.equal(res.status, 200);
    const update = await watcher.next(isUpdate);
    assert.equal(update.data.leaderboard.find((e: any) => e.user_id === p.id)?.score, 77);
    watcher.send({ type: "NOPE" });
    assert.equal((await watcher.next((m) => m.type === ScoreboardMessage.Error)).data.error_code, "VALIDATION_FAILED");
    watcher.close();
  });

  it("records connect and disconnect in the audit log", async () => {
    const p = await newPlayer(backend);
    const s = await openSocket(backend.url, { authorization: `Bearer ${p.token}` });
    s.close();
    await s.closed;
    const deadline = Date.now() + 5_000;
    let events: string[] = [];
    while (Date.now() < deadline) {
      events = (await backend.db.sql.query<{ event: string }>("SELECT event FROM audit_log WHERE user_id = $1 AND event LIKE 'ws.%'", [Number(p.id)])).map((r) => r.event);
      if (events.length >= 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(events.sort(), ["ws.connect", "ws.disconnect"]);
  });
});

describe(`WebSocket heartbeat (${mode})`, function () {
  let backend: TestBackend;
  before(async () => {
    backend = await startScoresBackend({ WS_HEARTBEAT_INTERVAL: "1" });
  });
  after(async () => backend?.close());

  it("drops a connection that stops answering pings", async () => {
    const live = await openSocket(backend.url);
    const dead = await openSocket(backend.url);
    (dead.ws as any)._receiver.removeAllListeners("ping"); // stop auto-pong
    (dead.ws as any).pong = () => {};
    const closed = await dead.closed;
    assert.equal(closed.code, 1006, "terminated without a close frame");
    assert.equal(live.ws.readyState, live.ws.OPEN);
    live.close();
  });
});
