import type { OutboxItem, OutboxStore } from "./outbox-store.ts";

/** {@link OutboxStore} in process memory: survives backend outages, not a process restart. */
export class MemoryOutboxStore implements OutboxStore {
  private readonly items = new Map<string, { item: OutboxItem; dueAt: number }>();

  async add(item: OutboxItem, dueAt: number): Promise<boolean> {
    if (this.items.has(item.id)) return false;
    this.items.set(item.id, { item: structuredClone(item), dueAt });
    return true;
  }

  async claim(now: number, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    const due = [...this.items.values()].filter((e) => e.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt).slice(0, limit);
    for (const entry of due) entry.dueAt = now + leaseMs;
    return due.map((e) => structuredClone(e.item));
  }

  async remove(id: string): Promise<void> {
    this.items.delete(id);
  }

  async reschedule(item: OutboxItem, dueAt: number): Promise<void> {
    this.items.set(item.id, { item: structuredClone(item), dueAt });
  }

  async size(): Promise<number> {
    return this.items.size;
  }

  async close(): Promise<void> {}
}
