import type { RequestHandler } from "express";
import { BOARDS, Board, Period, PERIODS } from "@arena/shared";
import { requestIdOf, SECURITY_HEADERS } from "../http/request-middleware.ts";
import type { ScoreboardMetrics } from "../metrics/scoreboard-metrics.ts";
import type { LeaderboardService, SnapshotBody } from "./leaderboard-service.ts";

const boards = new Set<string>(BOARDS);
const periods = new Set<string>(PERIODS);

/** Board and period of a well-formed query (each at most once, both known); null sends it down the full route. */
function boardOf(url: string): { board: Board; period: Period } | null {
  const q = url.indexOf("?");
  if (q < 0) return { board: Board.General, period: Period.AllTime };
  const params = new URLSearchParams(url.slice(q + 1));
  const board = params.getAll("board");
  const period = params.getAll("period");
  if (board.length > 1 || period.length > 1) return null;
  if (board.length === 1 && !boards.has(board[0])) return null;
  if (period.length === 1 && !periods.has(period[0])) return null;
  return { board: (board[0] ?? Board.General) as Board, period: (period[0] ?? Period.AllTime) as Period };
}

/** If-None-Match against our strong tag, with the weak comparison RFC 9110 §13.1.2 asks for. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch === etag) return true;
  return ifNoneMatch.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}

/**
 * `GET /api/scoreboard` answered from the cached, pre-serialised snapshot (one body per board and
 * period, replaced whenever that top 10 changes), with a strong ETag and `304` on If-None-Match.
 * Mounted before the app's logging, CORS and body-parsing middleware, so it sends what they would:
 * the request id, the security headers and the CORS headers for an allowed origin. It writes no
 * log line per request; `scoreboard_reads_total` counts the answers. A query it does not
 * recognise (unknown board, a repeated key) or a failed read goes on to the full route, which
 * answers the error and logs it. `Cache-Control: no-cache`: a client may keep the body but must
 * revalidate it, so it never shows a top 10 older than the last acknowledged commit.
 */
export function createScoreboardReadHandler(deps: { leaderboards: LeaderboardService; corsOrigins: string[]; metrics: ScoreboardMetrics }): RequestHandler {
  const allowed = new Set(deps.corsOrigins);
  const ok = deps.metrics.scoreboardReads.labels({ status: "200" });
  const notModified = deps.metrics.scoreboardReads.labels({ status: "304" });

  const answer = (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1], snapshot: SnapshotBody) => {
    const headers: Record<string, string | number> = {
      "X-Request-Id": requestIdOf(req.headers["x-request-id"]),
      ...SECURITY_HEADERS,
      "Cache-Control": "no-cache",
      ETag: snapshot.etag,
    };
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      headers["Access-Control-Allow-Origin"] = origin;
      headers["Access-Control-Allow-Credentials"] = "true";
      headers.Vary = "Origin";
    }
    if (matches(req.headers["if-none-match"], snapshot.etag)) {
      res.writeHead(304, headers).end();
      notModified.inc();
      return;
    }
    headers["Content-Type"] = "application/json; charset=utf-8";
    headers["Content-Length"] = snapshot.body.length;
    res.writeHead(200, headers).end(snapshot.body);
    ok.inc();
  };

  return (req, res, next) => {
    const q = boardOf(req.url);
    if (!q) return next();
    deps.leaderboards.snapshotBody(q.board, q.period)
      .then((snapshot) => answer(req, res, snapshot))
      .catch(() => {
        if (!res.headersSent) next();
      });
  };
}
