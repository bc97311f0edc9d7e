import { Redis, type Command, type RedisOptions } from "ioredis";
import { dependencyOutage } from "../contracts/app-error-mapping.ts";
import type { CircuitBreaker } from "./circuit-breaker.ts";

export interface RedisClientOptions {
  /** Longest a command may wait for its answer (ms): a frozen Redis fails the call instead of hanging it. */
  commandTimeoutMs: number;
  /** The process's Redis breaker: refuses commands at once while open, and learns from every answer. */
  breaker?: CircuitBreaker;
  /** More ioredis options (e.g. `enableAutoPipelining`). */
  extra?: RedisOptions;
}

/**
 * The one way the apps open a Redis connection: every command has a bounded time
 * (`commandTimeout`), one reconnect-retry at most, quick reconnects after a restart, and
 * the dependency's circuit breaker around `sendCommand` (so pipelines, scripts and
 * `multi` are covered too). Outages raise errors that {@link dependencyOutage} recognises.
 */
export function createRedisClient(url: string, options: RedisClientOptions): Redis {
  const redis = new Redis(url, {
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: Math.max(1000, options.commandTimeoutMs * 2),
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 100, 1000),
    ...options.extra,
  });
  redis.on("error", () => {}); // connection errors surface as the failed commands' errors
  const breaker = options.breaker;
  if (breaker) guardCommands(redis, breaker);
  return redis;
}

function guardCommands(redis: Redis, breaker: CircuitBreaker): void {
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: Command, stream?: unknown) => {
    try {
      breaker.check();
    } catch (err) {
      command.reject(err as Error);
      return command.promise;
    }
    const answer = send(command, stream as never) as Promise<unknown>;
    answer.then(
      () => breaker.success(),
      (err: unknown) => (dependencyOutage(err) ? breaker.failure() : breaker.success()),
    );
    return answer;
  }) as Redis["sendCommand"];
}
