import type { Redis } from "ioredis";
import { createRedisClient } from "@arena/shared/resilience/redis-client";
import type { OutboxItem, OutboxStore } from "./outbox-store.ts";

const ADD = `
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 1 then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  return 1
end
return 0`;

const CLAIM = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local v = redis.call('HGET', KEYS[2], id)
  if v then
    redis.call('ZADD', KEYS[1], ARGV[2], id)
    table.insert(out, v)
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out`;

/**
 * {@link OutboxStore} in Redis, shared by every game-server process: a hash of items
 * (`<prefix>:items`) and a sorted set of due times (`<prefix>:due`). Claiming is one
 * Lua script, so two processes never lease the same item at once.
 */
export class RedisOutboxStore implements OutboxStore {
  private readonly redis: Redis;
  private readonly due: string;
  private readonly itemsKey: string;

  private readonly owned: boolean;

  /** A URL opens a connection of its own, closed by close(); a given client is the caller's. */
  constructor(redis: Redis | string, prefix = "arena:outbox") {
    this.owned = typeof redis === "string";
    this.redis = typeof redis === "string" ? createRedisClient(redis, { commandTimeoutMs: 1000 }) : redis;
    this.due = `${prefix}:due`;
    this.itemsKey = `${prefix}:items`;
  }

  async add(item: OutboxItem, dueAt: number): Promise<boolean> {
    return (await this.redis.eval(ADD, 2, this.due, this.itemsKey, item.id, JSON.stringify(item), dueAt)) === 1;
  }

  async claim(now: number, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    const raw = (await this.redis.eval(CLAIM, 2, this.due, this.itemsKey, now, now + leaseMs, limit)) as string[];
    return raw.map((v) => JSON.parse(v) as OutboxItem);
  }

  async remove(id: string): Promise<void> {
    await this.redis.multi().zrem(this.due, id).hdel(this.itemsKey, id).exec();
  }

  async reschedule(item: OutboxItem, dueAt: number): Promise<void> {
    await this.redis.multi().hset(this.itemsKey, item.id, JSON.stringify(item)).zadd(this.due, dueAt, item.id).exec();
  }

  async size(): Promise<number> {
    return this.redis.zcard(this.due);
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
