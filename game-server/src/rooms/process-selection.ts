import { matchMaker } from "@colyseus/core";

/**
 * Which process creates a new room: the one with the fewest rooms among those that are alive.
 * A process is alive when its IPC channel (`p:<processId>`) still has a subscriber: a killed
 * process loses its Redis connection and with it the subscription at once, while its entry
 * in the room-count table stays until someone removes it. Routing a creation to such an
 * entry would wait for Colyseus's IPC timeout; this never picks it, and removes it from the
 * table. If Redis cannot answer, this process creates the room itself.
 */
export async function selectLiveProcess(): Promise<string> {
  const self = matchMaker.processId;
  try {
    const [all, channels] = await Promise.all([matchMaker.stats.fetchAll(), matchMaker.presence.channels("p:*")]);
    const alive = new Set(channels.map((channel) => channel.slice(2)));
    const dead = all.filter((p) => p.processId !== self && !alive.has(p.processId));
    for (const p of dead) void matchMaker.stats.excludeProcess(p.processId).catch(() => {});
    const live = all.filter((p) => p.processId === self || alive.has(p.processId));
    return live.sort((a, b) => a.roomCount - b.roomCount)[0]?.processId ?? self;
  } catch {
    return self;
  }
}
