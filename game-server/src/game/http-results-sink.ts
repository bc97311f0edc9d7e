import { InternalRoute } from "@arena/shared/contracts/internal-api";
import type { ChatBatchBody, FlagBody, GameResultBody, MatchRecordBody, ResultsSink, SinkOutcome } from "./results-sink.ts";

export interface HttpResultsSinkOptions {
  /** Backend base URL, e.g. http://127.0.0.1:3000 */
  backendUrl: string;
  /** Gives a current service JWT. */
  serviceToken: () => string;
  /** Per-request timeout, ms. */
  timeoutMs?: number;
  /** The HTTP client (default: the global fetch); the cross-app contract test hands in the backend's router. */
  fetch?: typeof fetch;
}

/** {@link ResultsSink} over the backend's internal routes (`POST /internal/game-results`, `/flags`, `/match-records`, `/chat-messages`). */
export function createHttpResultsSink(options: HttpResultsSinkOptions): ResultsSink {
  const base = options.backendUrl.replace(/\/+$/, "");
  const send = options.fetch ?? fetch;
  const post = async (path: string, body: object): Promise<SinkOutcome> => {
    let res: Response;
    try {
      res = await send(`${base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${options.serviceToken()}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
    } catch (err) {
      return { ok: false, final: false, error: err instanceof Error ? err.message : String(err) };
    }
    const text = await res.text().catch(() => "");
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = {};
    }
    if (res.ok) return { ok: true, body: parsed };
    // Only a verdict about the result itself is final (400 invalid, 403 banned account). A
    // refused credential (401: key mismatch, clock skew) is the deployment's fault, not the
    // player's: keep the result and retry until an operator fixes it, so none is lost.
    const retriable = res.status >= 500 || res.status === 401 || res.status === 408 || res.status === 429;
    return { ok: false, final: !retriable, status: res.status, error: String(parsed.error_code ?? res.statusText) };
  };
  return {
    postResult: (body: GameResultBody) => post(InternalRoute.GameResults, body),
    postFlag: (body: FlagBody) => post(InternalRoute.Flags, body),
    postMatchRecord: (body: MatchRecordBody) => post(InternalRoute.MatchRecords, body),
    postChatBatch: (body: ChatBatchBody) => post(InternalRoute.ChatMessages, body),
  };
}
