import http from "node:http";
import type { AddressInfo } from "node:net";
import jwt from "jsonwebtoken";
import { chatBatchSchema, InternalRoute, matchRecordSchema, type ChatMessageBody, type MatchRecordBody } from "@arena/shared/contracts/internal-api";

/** One call the fake backend received. */
export interface BackendCall {
  path: string;
  body: any;
  /** Verified service claims, or null when the credential was refused. */
  auth: any;
}

/**
 * A tiny stand-in for the backend's internal routes (POST /internal/game-results, /flags,
 * /match-records, /chat-messages) that records calls, verifies the service JWT with the public
 * key, parses match records and chat batches with the shared contract, stores everything
 * idempotently by its id and can be switched "down" (503). `loseMatchAnswers(n)`: the next n
 * match records are stored but answered 503, as when the answer is lost on the way back. `now`
 * is the clock it judges the credential's expiry on, as the real backend's injected clock.
 */
export function fakeBackend(publicKeyPem: string, now: () => number = Date.now) {
  const calls: BackendCall[] = [];
  const results = new Map<string, any>();
  const flags = new Map<string, any>();
  const matches = new Map<string, MatchRecordBody>();
  const chat = new Map<string, ChatMessageBody>();
  let down = false;
  let lostMatchAnswers = 0;
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
      let auth: any = null;
      try {
        auth = jwt.verify(token, publicKeyPem, { algorithms: ["ES256"], audience: "arena-backend", issuer: "arena-game-server", clockTimestamp: Math.floor(now() / 1000) });
      } catch {
        auth = null;
      }
      const body = JSON.parse(raw || "{}");
      calls.push({ path: req.url ?? "", body, auth });
      res.setHeader("content-type", "application/json");
      if (down) return void res.writeHead(503).end(JSON.stringify({ success: false, error_code: "SERVICE_UNAVAILABLE" }));
      if (!auth || auth.typ !== "service") return void res.writeHead(401).end(JSON.stringify({ success: false, error_code: "UNAUTHORIZED" }));
      if (req.url === InternalRoute.MatchRecords) {
        const parsed = matchRecordSchema.safeParse(body);
        if (!parsed.success) return void res.writeHead(400).end(JSON.stringify({ success: false, error_code: "VALIDATION_FAILED" }));
        const replay = matches.has(parsed.data.match_id);
        if (!replay) matches.set(parsed.data.match_id, parsed.data);
        if (lostMatchAnswers > 0) {
          lostMatchAnswers--;
          return void res.writeHead(503).end(JSON.stringify({ success: false, error_code: "SERVICE_UNAVAILABLE" }));
        }
        const pointsEarned = Object.fromEntries(parsed.data.players.flatMap((p) => (p.user_id ? [[p.user_id, 0]] : [])));
        return void res.end(JSON.stringify({ success: true, match_id: parsed.data.match_id, replay, points_earned: pointsEarned }));
      }
      if (req.url === InternalRoute.ChatMessages) {
        const parsed = chatBatchSchema.safeParse(body);
        if (!parsed.success) return void res.writeHead(400).end(JSON.stringify({ success: false, error_code: "VALIDATION_FAILED" }));
        for (const line of parsed.data.messages) if (!chat.has(line.message_id)) chat.set(line.message_id, line);
        return void res.end(JSON.stringify({ success: true, stored: parsed.data.messages.length }));
      }
      if (!/^\d+$/.test(String(body.user_id))) return void res.writeHead(400).end(JSON.stringify({ success: false, error_code: "VALIDATION_FAILED" }));
      if (req.url === "/internal/game-results") {
        const replay = results.has(body.result_id);
        if (!replay) results.set(body.result_id, body);
        return void res.end(JSON.stringify({ success: true, result_id: body.result_id, user_id: body.user_id, board: body.mode, new_score: body.score, rank: 1, replay }));
      }
      if (req.url === "/internal/flags") {
        if (!flags.has(body.flag_id)) flags.set(body.flag_id, body);
        return void res.end(JSON.stringify({ success: true, flag_id: body.flag_id }));
      }
      res.writeHead(404).end(JSON.stringify({ success: false, error_code: "NOT_FOUND" }));
    });
  });
  return {
    calls,
    results,
    flags,
    matches,
    chat,
    loseMatchAnswers: (n: number) => void (lostMatchAnswers = n),
    setDown: (value: boolean) => void (down = value),
    listen: () =>
      new Promise<string>((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
