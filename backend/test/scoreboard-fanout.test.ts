import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import pino from "pino";
import WebSocket from "ws";
import { Board, Period, ScoreboardMessage } from "@arena/shared";
import { createLeaderboardService, type LeaderboardEntry, type TopChange } from "../src/leaderboard/leaderboard-service.ts";
import type { RankCache } from "../src/leaderboard/rank-cache.ts";
import { createScoreboardMetrics } from "../src/metrics/scoreboard-metrics.ts";
import { createScoreboardHub } from "../src/scoreboard/scoreboard-hub.ts";

/** A rank cache over boards nobody has scored on yet (the hub only needs snapshots here). */
const emptyRanks: RankCache = {
  apply: async () => {},
  applyAndRank: async (_rows, queries) => queries.map(() => null),
  removeUser: async () => {},
  ranks: async (queries) => queries.map(() => null),
  range: async () => [],
  count: async () => 0,
  close: async () => {},
};

/** The hub on its own HTTP server, with the real leaderboard service over empty boards. */
async function startHub(maxBufferedBytes?: number) {
  const metrics = createScoreboardMetrics();
  const now = Date.now;
  const leaderboards = createLeaderboardService({ rankCache: emptyRanks, usernames: async () => new Map(), now, metrics });
  const hub = createScoreboardHub({
    leaderboards, metrics, now, maxBufferedBytes,
    authenticate: async () => { throw new Error("no identities in this test"); },
    audit: { record: async () => {} },
    log: pino({ level: "silent" }),
    connectionLimit: 100, connectionsPerIp: 100, subscribeTimeoutSeconds: 60, trustProxy: 0, heartbeatSeconds: 60, maxMessagesPerSecond: 10,
  });
  const server = http.createServer();
  hub.attach(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    hub, metrics, port,
    close: async () => {
      await hub.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A ws client that keeps every text message as received (raw string) and parsed. */
async function watcher(port: number, subscribe?: { board: Board; period: Period }) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/scoreboard`);
  const raw: string[] = [];
  const waiters: (() => void)[] = [];
  ws.on("message", (data) => {
    raw.push(data.toString());
    for (const w of waiters.splice(0)) w();
  });
  const until = async (pred: () => boolean) => {
    while (!pred()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  await until(() => raw.length >= 1); // the general/all SNAPSHOT
  if (subscribe) {
    ws.send(JSON.stringify({ type: ScoreboardMessage.Subscribe, ...subscribe }));
    await until(() => raw.length >= 2);
  }
  const updates = () => raw.filter((m) => JSON.parse(m).type === ScoreboardMessage.LeaderboardUpdate);
  return { ws, raw, updates, until };
}

const entries = (n: number, name = "player"): LeaderboardEntry[] =>
  Array.from({ length: n }, (_, i) => ({ rank: i + 1, user_id: String(i + 1), username: `${name}${i}`, score: 1000 - i, last_updated: new Date(0).toISOString() }));

const change = (leaderboard: LeaderboardEntry[], board: string = Board.General, period = "all"): TopChange => ({
  board, period, changedRanks: [1], at: Date.now(),
  snapshot: { leaderboard, last_updated: new Date().toISOString(), total_players: leaderboard.length },
});

describe("scoreboard fan-out (hub)", function () {
  let t: Awaited<ReturnType<typeof startHub>>;
  afterEach(async () => t?.close());

  it("sends LEADERBOARD_UPDATE with the exact bytes of the message clients parse, only to that board's watchers", async () => {
    t = await startHub();
    const general = await watcher(t.port);
    const shaky = await watcher(t.port, { board: Board.Shaky, period: Period.AllTime });
    const daily = await watcher(t.port, { board: Board.General, period: Period.Daily });
    const top = entries(3, "Zoë");
    const update = change(top);
    t.hub.onTopChange(update);
    await general.until(() => general.updates().length === 1);
    const expected = JSON.stringify({
      type: ScoreboardMessage.LeaderboardUpdate,
      data: { leaderboard: top, changed_ranks: [1], timestamp: new Date(update.at).toISOString() },
    });
    assert.equal(general.updates()[0], expected);

    t.hub.onTopChange(change(entries(2), Board.Shaky));
    await shaky.until(() => shaky.updates().length === 1);
    assert.equal(JSON.parse(shaky.updates()[0]).data.leaderboard.length, 2);
    assert.equal(general.updates().length, 1, "a shaky update does not reach general watchers");
    assert.equal(daily.updates().length, 0, "the all-time update does not reach daily watchers");

    // Re-subscribing moves the socket: it hears its new board only.
    shaky.ws.send(JSON.stringify({ type: ScoreboardMessage.Subscribe, board: Board.General, period: Period.AllTime }));
    await shaky.until(() => shaky.raw.filter((m) => JSON.parse(m).type === ScoreboardMessage.Snapshot).length === 3);
    t.hub.onTopChange(change(entries(1), Board.Shaky));
    t.hub.onTopChange(change(entries(4)));
    await shaky.until(() => shaky.updates().length === 2);
    await general.until(() => general.updates().length === 2);
    assert.equal(JSON.parse(shaky.updates()[1]).data.leaderboard.length, 4, "the shaky update in between was not delivered");
    for (const w of [general, shaky, daily]) w.ws.close();
  });

  it("drops a watcher that stops reading once its unsent bytes pass the cap, and keeps serving the others", async () => {
    t = await startHub(2 * 1024 * 1024);
    const reader = await watcher(t.port);
    // A raw TCP client: it completes the upgrade, reads its SNAPSHOT, then never reads again.
    const slow = net.connect(t.port, "127.0.0.1");
    slow.write(
      `GET /ws/scoreboard HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    let seen = "";
    await new Promise<void>((resolve) => {
      slow.on("data", (chunk) => {
        seen += chunk.toString("latin1");
        if (seen.includes(ScoreboardMessage.Snapshot)) resolve();
      });
    });
    slow.pause();
    slow.on("error", () => {});
    assert.equal(t.hub.size, 2);

    // ~200 KB per update; the reader takes each one before the next is sent, so only the slow socket backs up.
    const top = entries(10, "x".repeat(20_000));
    let sent = 0;
    while (t.hub.size === 2 && sent < 2_000) {
      t.hub.onTopChange(change(top));
      sent++;
      await reader.until(() => reader.updates().length === sent);
    }
    assert.equal(t.hub.size, 1, "the slow watcher was dropped");
    assert.equal((await t.metrics.wsSlowConsumers.get()).values[0].value, 1);
    t.hub.onTopChange(change(entries(1)));
    await reader.until(() => reader.updates().length === sent + 1);
    assert.equal(reader.ws.readyState, WebSocket.OPEN);
    reader.ws.close();
    slow.destroy();
  });
});
