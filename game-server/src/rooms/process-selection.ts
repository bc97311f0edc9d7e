import { matchMaker } from "@colyseus/core";

/**
 * Which process creates a new room: the one with the fewest rooms among those that are alive.
 * A process is alive when its IPC channel (`p:<processId>`) still has a subscriber: a killed
 * process loses its Redis connection and with it the subscription at once, while its entry
 * in the room-count table stays until someone removes it. Routing a creation to such an
 * entry would wait for Colyseus's IPC timeout; this never picks it, and has Colyseus check
 * and clean it up. If Redis cannot answer, this process creates the room itself.
 */
/**
 * Whether the process `processId` is alive (this one always is). A killed process's rooms
 * stay listed in the driver until Colyseus's health check removes them; the answer here lets
 * callers treat them as gone at once. If Redis cannot answer, the process counts as alive.
 */
export async function processAlive(processId: string): Promise<boolean> {
  if (processId === matchMaker.processId) return true;
  try {
    return (await matchMaker.presence.channels(`p:${processId}`)).length > 0;
  } catch {
    return true;
  }
}

export async function selectLiveProcess(): Promise<string> {
  const self = matchMaker.processId;
  try {
    const [all, channels] = await Promise.all([matchMaker.stats.fetchAll(), matchMaker.presence.channels("p:*")]);
    const alive = new Set(channels.map((channel) => channel.slice(2)));
    const dead = all.filter((p) => p.processId !== self && !alive.has(p.processId));
    // Colyseus's own check (an IPC ping, then removal of the process and its rooms) in the background.
    for (const p of dead) void matchMaker.healthCheckProcessId(p.processId).catch(() => {});
    const live = all.filter((p) => p.processId === self || alive.has(p.processId));
    return live.sort((a, b) => a.roomCount - b.roomCount)[0]?.processId ?? self;
  } catch {
    return self;
  }
}
