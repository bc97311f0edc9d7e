import type http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { z } from "zod";
import { AppError, BOARDS, Board, CloseCode, Period, PERIODS, ScoreboardMessage, type IdentityClaims } from "@arena/shared";
import type pino from "pino";
import { clientIp } from "@arena/shared/http/client-ip";
import type { AuditLog } from "../backend-context.ts";
import { AuditEventName } from "../audit/batched-audit-log.ts";
import { periodKey } from "../leaderboard/period-keys.ts";
import type { LeaderboardService, TopChange } from "../leaderboard/leaderboard-service.ts";
import type { ScoreboardMetrics } from "../metrics/scoreboard-metrics.ts";
import type { ScoreChange } from "../leaderboard/score-bus.ts";
import { textFrame } from "./ws-frame.ts";

export const SCOREBOARD_PATH = "/ws/scoreboard";

const clientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal(ScoreboardMessage.Auth), token: z.string().min(1).max(4096) }),
  z.object({ type: z.literal(ScoreboardMessage.Subscribe), board: z.enum(BOARDS), period: z.enum(PERIODS).default(Period.AllTime) }),
]);

interface Conn {
  ws: WebSocket;
  /** The upgraded TCP socket under `ws`: LEADERBOARD_UPDATE frames are written to it pre-framed. */
  socket: Duplex;
  identity: IdentityClaims | null;
  board: Board;
  period: Period;
  alive: boolean;
  ip: string;
  /** The client sent SUBSCRIBE (an anonymous socket that never does is closed). */
  subscribed: boolean;
  /** The SNAPSHOT of the current subscription was sent: updates may follow (the conn is in `watchers`). */
  ready: boolean;
  /** ws.connect was audited (so ws.disconnect is too). */
  announced: boolean;
  closed: boolean;
  /** Token bucket of client messages: tokens left and when it was last refilled (ms, monotonic). */
  tokens: number;
  refilledAt: number;
  /** Client messages received and not yet handled. */
  queued: number;
}

/** Most client messages waiting to be handled on one connection before it is closed. */
const MAX_QUEUED_MESSAGES = 16;
/** Largest client frame, bytes (ws closes bigger ones with 1009). */
const MAX_PAYLOAD = 8 * 1024;
/** Default for {@link ScoreboardHubOptions.maxBufferedBytes}. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

const watchKey = (board: string, period: Period) => `${board}|${period}`;

/** The live scoreboard socket of one backend process. */
export interface ScoreboardHub {
  /** Handles WebSocket upgrades on {@link SCOREBOARD_PATH}. */
  attach(server: http.Server): void;
  /** LEADERBOARD_UPDATE to every watcher of that board and current period. */
  onTopChange(change: TopChange): void;
  /** SCORE_UPDATE to the user's own connections on this process. */
  onScoreChange(change: ScoreChange): void;
  /** Open connections on this process. */
  readonly size: number;
  /** Closes every connection (ServerShutdown) and stops the heartbeat. */
  close(): Promise<void>;
}

export interface ScoreboardHubOptions {
  leaderboards: LeaderboardService;
  authenticate(token: string): Promise<IdentityClaims>;
  audit: AuditLog;
  metrics: ScoreboardMetrics;
  log: pino.Logger;
  now: () => number;
  /** Open connections allowed on this process (WS_CONNECTION_LIMIT); the newest beyond it is closed. */
  connectionLimit: number;
  /** Open connections allowed per client IP (WS_CONNECTIONS_PER_IP). */
  connectionsPerIp: number;
  /** Seconds an anonymous connection may stay without SUBSCRIBE (WS_SUBSCRIBE_TIMEOUT). */
  subscribeTimeoutSeconds: number;
  /** Reverse-proxy hops trusted for the client IP (TRUST_PROXY). */
  trustProxy: number;
  /** Seconds between pings; a connection that missed one pong is dropped (WS_HEARTBEAT_INTERVAL). */
  heartbeatSeconds: number;
  /** Client messages allowed per second and connection, bursts of the same size (WS_MAX_MESSAGES_PER_SECOND). */
  maxMessagesPerSecond: number;
  /**
   * Bytes a watcher may leave unread in its send buffer; a socket past it when an update is due is
   * a slow consumer and is dropped (terminated) rather than buffering without bound. Default 1 MiB.
   */
  maxBufferedBytes?: number;
}

/**
 * The live scoreboard socket. Everyone may watch (guests included); a bearer JWT in the
 * upgrade's Authorization header or a first `AUTH` message identifies the user for their own
 * SCORE_UPDATEs. Each connection watches one board and period (general/all until it sends
 * SUBSCRIBE) and gets a SNAPSHOT on subscribing, then LEADERBOARD_UPDATEs.
 *
 * Slots are shared fairly: at most WS_CONNECTIONS_PER_IP sockets per client IP, an anonymous
 * socket that sends no SUBSCRIBE within WS_SUBSCRIBE_TIMEOUT is closed, and past
 * WS_CONNECTION_LIMIT the newest connection is refused — sockets already watching are never evicted.
 *
 * Fan-out cost per update is one JSON encoding and one frame, then one `write` of the same bytes per
 * watcher of that board and period (an index board+period → sockets; nothing per socket grows with the
 * board). The server never negotiates permessage-deflate, so one unmasked frame fits every socket.
 * A watcher that does not read (send buffer over `maxBufferedBytes`) is dropped.
 */
export function createScoreboardHub(options: ScoreboardHubOptions): ScoreboardHub {
  const { leaderboards, audit, metrics, log } = options;
  const maxBufferedBytes = options.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
  // perMessageDeflate off (ws's server default, stated here because pre-framed updates rely on it).
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD, perMessageDeflate: false });
  const conns = new Set<Conn>();
  /** Ready connections by board and period (the Period name, not its key: keys roll over at midnight). */
  const watchers = new Map<string, Set<Conn>>();
  const byUser = new Map<string, Set<Conn>>();
  const perIp = new Map<string, number>();

  const send = (conn: Conn, type: ScoreboardMessage, data: unknown) => {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(JSON.stringify({ type, data }));
    metrics.wsMessages.inc({ type });
  };
  const sendError = (conn: Conn, err: AppError) => send(conn, ScoreboardMessage.Error, { error_code: err.code, message: err.message });

  function identify(conn: Conn, identity: IdentityClaims): void {
    conn.identity = identity;
    if (conn.closed) return;
    let set = byUser.get(identity.sub);
    if (!set) byUser.set(identity.sub, (set = new Set()));
    set.add(conn);
  }

  function unwatch(conn: Conn): void {
    if (!conn.ready) return;
    conn.ready = false;
    const key = watchKey(conn.board, conn.period);
    const set = watchers.get(key);
    set?.delete(conn);
    if (set?.size === 0) watchers.delete(key);
  }

  async function subscribe(conn: Conn, board: Board, period: Period): Promise<void> {
    unwatch(conn);
    conn.board = board;
    conn.period = period;
    const snapshot = await leaderboards.snapshot(board, period);
    if (conn.board !== board || conn.period !== period || conn.ready || conn.closed) return; // a later SUBSCRIBE won, or the socket left
    send(conn, ScoreboardMessage.Snapshot, { board, period, ...snapshot });
    conn.ready = true;
    const key = watchKey(board, period);
    let set = watchers.get(key);
    if (!set) watchers.set(key, (set = new Set()));
    set.add(conn);
  }

  function refuse(conn: Conn, err: unknown): void {
    const appError = err instanceof AppError ? err : new AppError("UNAUTHORIZED");
    void audit.record({ event: AuditEventName.AuthFailed, ip: conn.ip, data: { via: "ws", code: appError.code } });
    sendError(conn, appError);
    conn.ws.close(CloseCode.Unauthorized, appError.code);
  }

  async function onMessage(conn: Conn, raw: string): Promise<void> {
    let parsed;
    try {
      parsed = clientMessage.safeParse(JSON.parse(raw));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      sendError(conn, new AppError("VALIDATION_FAILED", "Unknown or malformed message."));
      return;
    }
    const msg = parsed.data;
    if (msg.type === ScoreboardMessage.Subscribe) conn.subscribed = true;
    if (msg.type === ScoreboardMessage.Auth) {
      if (conn.identity) return sendError(conn, new AppError("VALIDATION_FAILED", "Already authenticated."));
      try {
        identify(conn, await options.authenticate(msg.token));
        void audit.record({ event: AuditEventName.WsConnect, userId: Number(conn.identity!.sub), ip: conn.ip, data: { via: "message" } });
      } catch (err) {
        refuse(conn, err);
      }
      return;
    }
    await subscribe(conn, msg.board, msg.period);
  }

  /** Token bucket: refills maxMessagesPerSecond per second up to the same number; false when empty. */
  function takeToken(conn: Conn): boolean {
    const rate = options.maxMessagesPerSecond;
    const t = performance.now();
    conn.tokens = Math.min(rate, conn.tokens + ((t - conn.refilledAt) / 1000) * rate);
    conn.refilledAt = t;
    if (conn.tokens < 1) return false;
    conn.tokens -= 1;
    return true;
  }

  async function onConnection(ws: WebSocket, req: http.IncomingMessage, socket: Duplex): Promise<void> {
    const ip = clientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], options.trustProxy);
    const conn: Conn = { ws, socket, identity: null, board: Board.General, period: Period.AllTime, alive: true, ip, subscribed: false, ready: false, announced: false, closed: false,
      tokens: options.maxMessagesPerSecond, refilledAt: performance.now(), queued: 0 };
    const announce = (via: string) => {
      conn.announced = true;
      void audit.record({ event: AuditEventName.WsConnect, userId: conn.identity ? Number(conn.identity.sub) : null, ip: conn.ip, data: { via } });
      if (conn.closed) recordDisconnect();
    };
    const recordDisconnect = () =>
      void audit.record({ event: AuditEventName.WsDisconnect, userId: conn.identity ? Number(conn.identity.sub) : null, ip: conn.ip, data: {} });
    // Protocol errors (a frame over maxPayload, bad framing): ws closes the socket itself; without a
    // listener the 'error' event would be thrown and take the process down.
    ws.on("error", (err) => log.debug({ err }, "scoreboard socket error"));
    if (conns.size >= options.connectionLimit) {
      ws.close(CloseCode.ConnectionLimit, "WS_CONNECTION_LIMIT reached");
      return;
    }
    if ((perIp.get(ip) ?? 0) >= options.connectionsPerIp) {
      ws.close(CloseCode.IpConnectionLimit, "WS_CONNECTIONS_PER_IP reached");
      return;
    }
    conns.add(conn);
    perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
    metrics.wsConnections.set(conns.size);
    const idle = setTimeout(() => {
      if (!conn.identity && !conn.subscribed) ws.close(CloseCode.SubscribeTimeout, "no SUBSCRIBE");
    }, options.subscribeTimeoutSeconds * 1000);
    ws.on("pong", () => (conn.alive = true));
    ws.on("close", () => {
      conn.closed = true;
      clearTimeout(idle);
      conns.delete(conn);
      unwatch(conn);
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
      metrics.wsConnections.set(conns.size);
      if (conn.identity) byUser.get(conn.identity.sub)?.delete(conn);
      if (conn.identity && byUser.get(conn.identity.sub)?.size === 0) byUser.delete(conn.identity.sub);
      // A socket that closes while its header token is still being checked is audited once that check ends.
      if (conn.announced) recordDisconnect();
    });
    let chain = Promise.resolve();
    ws.on("message", (data, isBinary) => {
      if (conn.closed || ws.readyState !== ws.OPEN) return;
      if (isBinary) return ws.close(CloseCode.BadMessage, "text frames only");
      if (!takeToken(conn) || conn.queued >= MAX_QUEUED_MESSAGES) {
        return ws.close(CloseCode.RateLimited, "too many messages");
      }
      conn.queued++;
      chain = chain
        .then(() => onMessage(conn, data.toString()))
        .catch((err: unknown) => log.warn({ err }, "scoreboard message failed"))
        .finally(() => conn.queued--);
    });
    const header = req.headers.authorization;
    if (header) {
      const match = /^Bearer (\S{1,4096})$/.exec(header.trim());
      try {
        if (!match) throw new AppError("UNAUTHORIZED", "The Authorization header must be 'Bearer <token>'.");
        identify(conn, await options.authenticate(match[1]));
      } catch (err) {
        return refuse(conn, err);
      }
    }
    announce(header ? "header" : "guest");
    chain = chain.then(() => subscribe(conn, conn.board, conn.period)).catch((err: unknown) => log.warn({ err }, "scoreboard snapshot failed"));
  }

  const heartbeat = setInterval(() => {
    for (const conn of conns) {
      if (!conn.alive) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }, options.heartbeatSeconds * 1000);
  heartbeat.unref();

  return {
    /** Handles upgrades on {@link SCOREBOARD_PATH}. */
    attach(server: http.Server): void {
      server.on("upgrade", (req, socket, head) => {
        if (new URL(req.url ?? "/", "http://x").pathname !== SCOREBOARD_PATH) return;
        wss.handleUpgrade(req, socket, head, (ws) => void onConnection(ws, req, socket));
      });
    },

    /** LEADERBOARD_UPDATE to every watcher of that board and current period. */
    onTopChange(change: TopChange): void {
      const nowMs = options.now();
      const period = PERIODS.find((p) => periodKey(p, nowMs) === change.period);
      const set = period && watchers.get(watchKey(change.board, period));
      if (!set) return;
      // Encoded and framed once: every watcher gets the same bytes.
      const frame = textFrame(Buffer.from(JSON.stringify({
        type: ScoreboardMessage.LeaderboardUpdate,
        data: { leaderboard: change.snapshot.leaderboard, changed_ranks: change.changedRanks, timestamp: new Date(change.at).toISOString() },
      })));
      let sent = 0;
      let dropped = 0;
      for (const conn of set) {
        if (conn.ws.readyState !== conn.ws.OPEN) continue;
        if (conn.socket.writableLength > maxBufferedBytes) {
          dropped++;
          conn.ws.terminate();
          continue;
        }
        // What ws's Sender does for an uncompressed frame, minus framing it again per socket.
        conn.socket.write(frame);
        sent++;
      }
      metrics.wsMessages.inc({ type: ScoreboardMessage.LeaderboardUpdate }, sent);
      if (dropped > 0) metrics.wsSlowConsumers.inc(dropped);
      if (sent > 0) metrics.broadcastSeconds.observe(Math.max(0, options.now() - change.at) / 1000);
    },

    /** SCORE_UPDATE to the user's own connections on this process. */
    onScoreChange(change: ScoreChange): void {
      for (const conn of byUser.get(String(change.userId)) ?? []) {
        send(conn, ScoreboardMessage.ScoreUpdate, { new_score: change.newScore, rank: change.rank, points_gained: change.pointsGained, board: change.board });
      }
    },

    /** Open connections on this process. */
    get size(): number {
      return conns.size;
    },

    async close(): Promise<void> {
      clearInterval(heartbeat);
      for (const conn of conns) conn.ws.close(CloseCode.ServerShutdown, "server shutting down");
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
