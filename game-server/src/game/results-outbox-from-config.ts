import type { Redis } from "ioredis";
import { outboxKeys } from "@arena/shared/contracts/redis-keys";
import type { GameServerConfig } from "../config.ts";
import { createHttpResultsSink } from "./http-results-sink.ts";
import { MemoryOutboxStore } from "./memory-outbox-store.ts";
import { RedisOutboxStore } from "./redis-outbox-store.ts";
import { ResultsOutbox, type GameLog } from "./results-outbox.ts";
import type { ResultsSink } from "./results-sink.ts";
import { createServiceTokenSigner } from "./service-token.ts";

/**
 * The process-wide results outbox: a Redis store shared by every process when REDIS_URL
 * is set (any process drains it), memory otherwise; delivering over HTTP with the
 * service credential. Without SERVICE_PRIVATE_KEY nothing can be delivered: results
 * wait in the outbox (and a warning says so).
 */
export function createResultsOutbox(
  config: GameServerConfig,
  log: GameLog,
  options: { sink?: ResultsSink; now?: () => number; /** The process's guarded Redis connection (the caller closes it). */ redis?: Redis } = {},
): ResultsOutbox {
  const { sink, now, redis } = options;
  const store = config.REDIS_URL
    ? new RedisOutboxStore(redis ?? config.REDIS_URL, outboxKeys(config.REDIS_KEY_PREFIX))
    : new MemoryOutboxStore();
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
