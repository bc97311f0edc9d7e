import type { GameServerConfig } from "../config.ts";
import { createHttpResultsSink } from "./http-results-sink.ts";
import type { OutboxStore } from "./outbox-store.ts";
import { ResultsOutbox, type GameLog } from "./results-outbox.ts";
import type { ResultsSink } from "./results-sink.ts";
import { createServiceTokenSigner } from "./service-token.ts";

/**
 * The process-wide results outbox over `store` (a Redis store shared by every process when
 * REDIS_URL is set, so any process drains it; memory otherwise: infrastructure.ts chooses),
 * delivering over HTTP with the service credential. Without SERVICE_PRIVATE_KEY nothing can be delivered: results
 * wait in the outbox (and a warning says so).
 */
export function createResultsOutbox(
  config: GameServerConfig,
  log: GameLog,
  options: { /** Where results wait (the outbox closes it). */ store: OutboxStore; sink?: ResultsSink; now?: () => number },
): ResultsOutbox {
  const { store, sink, now } = options;
  if (!sink && !config.SERVICE_PRIVATE_KEY) log.warn({}, "SERVICE_PRIVATE_KEY unset: game results are kept in the outbox, not delivered");
  const resolved: ResultsSink =
    sink ??
    (config.SERVICE_PRIVATE_KEY
      ? createHttpResultsSink({ backendUrl: config.BACKEND_URL, serviceToken: createServiceTokenSigner(config.SERVICE_PRIVATE_KEY, now) })
      : undeliverable);
  return new ResultsOutbox({
    store,
    sink: resolved,
    log,
    now,
    baseBackoffMs: config.OUTBOX_RETRY_BASE_MS,
    maxBackoffMs: config.OUTBOX_RETRY_MAX_MS,
  }).start();
}

const undeliverable: ResultsSink = {
  postResult: async () => ({ ok: false, final: false, error: "SERVICE_PRIVATE_KEY unset" }),
  postFlag: async () => ({ ok: false, final: false, error: "SERVICE_PRIVATE_KEY unset" }),
  postMatchRecord: async () => ({ ok: false, final: false, error: "SERVICE_PRIVATE_KEY unset" }),
  postChatBatch: async () => ({ ok: false, final: false, error: "SERVICE_PRIVATE_KEY unset" }),
};
