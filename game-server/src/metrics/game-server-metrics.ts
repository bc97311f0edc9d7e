import { matchMaker } from "@colyseus/core";
import { ServerMessage } from "@arena/shared";
import client from "prom-client";

/** What the game server's metrics read on each scrape. */
export interface MetricsSources {
  /** Game results and flags waiting for the backend (the results outbox). */
  outboxDepth(): Promise<number>;
}

/**
 * The game server's Prometheus metrics, on a registry of its own (several servers may live in one
 * process in tests): rooms and seated clients of this process, joins, refusals by code, point
 * events, results-outbox depth, and Node's defaults (event-loop lag: `nodejs_eventloop_lag_seconds`
 * and its percentiles).
 */
export function createGameServerMetrics(sources: MetricsSources) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  new client.Gauge({ name: "game_rooms", help: "Live game rooms on this process.", registers: [registry], collect() { this.set(matchMaker.stats.local.roomCount); } });
  new client.Gauge({ name: "game_seated_clients", help: "Clients connected to a seat in this process's rooms.", registers: [registry], collect() { this.set(matchMaker.stats.local.ccu); } });
  new client.Gauge({ name: "game_results_outbox_depth", help: "Game results and flags waiting for the backend.", registers: [registry], async collect() { this.set(await sources.outboxDepth()); } });
  const joins = new client.Counter({ name: "game_joins_total", help: "Clients seated by a ticket (reconnections not counted).", registers: [registry] });
  const refusals = new client.Counter({ name: "game_refusals_total", help: "Refused join attempts and HTTP requests, by error code.", labelNames: ["where", "code"], registers: [registry] });
  // Point answers are tallied in plain numbers and added to the counter on each scrape: prom-client
  // hashes and validates the labels on every `inc`, and a point is one message.
  const unscraped = { accepted: 0, rejected: 0 };
  new client.Counter({
    name: "game_point_events_total",
    help: "Point events answered, by outcome.",
    labelNames: ["outcome"],
    registers: [registry],
    collect() {
      for (const outcome of ["accepted", "rejected"] as const) {
        if (unscraped[outcome] > 0) this.inc({ outcome }, unscraped[outcome]);
        unscraped[outcome] = 0;
      }
    },
  });
  return {
    registry,
    /** A client took a seat. */
    joined: () => joins.inc(),
    /** A join (`where: "join"`) or an HTTP request (`"http"`) was refused with `code`. */
    refused: (where: "join" | "http", code: string) => refusals.inc({ where, code }),
    /** The game sent a client `type`: point answers are counted. */
    sent(type: string): void {
      if (type === ServerMessage.PointAccepted) unscraped.accepted++;
      else if (type === ServerMessage.PointRejected) unscraped.rejected++;
    },
    /** The Prometheus text. */
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}

export type GameServerMetrics = ReturnType<typeof createGameServerMetrics>;
