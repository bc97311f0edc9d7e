import "./websocket-global.ts"; // before Colyseus: its rooms need the global WebSocket to reconnect clients
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { defineRoom, defineServer, matchMaker, type Server } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { AppError, RoomName, type SessionStore } from "@arena/shared";
import { listenMetrics, type MetricsListener } from "@arena/shared/http/metrics-listener";
import { checkDependencies } from "@arena/shared/resilience/readiness";
import type { IdentityKeyResolver } from "@arena/shared/tokens/identity-token";
import { pino, type Logger } from "pino";
import type { GameServerConfig } from "./config.ts";
import { applyCorsPolicy } from "./http/cors.ts";
import { wsConnectionsPerIp } from "./http/ws-ip-cap.ts";
import { errorMiddleware, notFound } from "./http/error-middleware.ts";
import { MONITOR_PATH, monitorRoutes } from "./http/monitor-routes.ts";
import { roomRoutes } from "./http/room-routes.ts";
import { openGameServerInfrastructure } from "./infrastructure.ts";
import { createIdentityAuth } from "@arena/shared/tokens/identity-auth";
import { jwksKeyResolver, pemKeyResolver } from "./identity/identity-keys.ts";
import { createGameServerMetrics } from "./metrics/game-server-metrics.ts";
import { bindGameRoom } from "./rooms/game-room.ts";
import { matchmakerDirectory } from "./rooms/matchmaker-room-directory.ts";
import type { RoomContext } from "./rooms/room-context.ts";
import { selectLiveProcess } from "./rooms/process-selection.ts";
import { createRoomServices } from "./rooms/room-services.ts";
import { GuestNameStore } from "./stores/guest-name-store.ts";
import { PresenceStore } from "./stores/presence-store.ts";
import { RoomCodeStore } from "./stores/room-code-store.ts";
import { RoomKeyStore } from "./stores/room-key-store.ts";
import { TicketService } from "./tickets/ticket-service.ts";

/** What an embedding process (the single-process launcher, tests) may provide instead of config. */
export interface GameServerOverrides {
  /** Identity public keys (e.g. the backend's in-process key store). */
  identityKeys?: IdentityKeyResolver;
  /** The backend's live sessions (e.g. the MemorySessionStore it writes to). */
  sessions?: SessionStore;
  log?: Logger;
  /** The process's clock in epoch ms (default Date.now): tokens, tickets, leases, game timing, match presence and idleness. */
  now?: () => number;
}

export interface RunningGameServer {
  /** http://host:port of this process. */
  url: string;
  /** http://METRICS_HOST:port/metrics when METRICS_PORT is set. */
  metricsUrl?: string;
  port: number;
  server: Server;
  /** The process's stores (for the embedding launcher and tests). */
  stores: { presence: PresenceStore; keys: RoomKeyStore; codes: RoomCodeStore; nicknames: GuestNameStore; sessions: SessionStore };
  /** Disposes every room (players are disconnected), then releases Redis and the listener. */
  close(): Promise<void>;
}

/**
 * The game server's composition root: opens its stores (infrastructure.ts chooses Redis or
 * memory), builds the ticket service and the room services once, and boots Colyseus with the
 * room HTTP API, the monitor, and the "game" room bound to them. One per process (Colyseus's
 * matchmaker is process-wide).
 */
export async function startGameServer(config: GameServerConfig, overrides: GameServerOverrides = {}): Promise<RunningGameServer> {
  const log = overrides.log ?? pino({ level: config.LOG_LEVEL, base: { app: "game-server" } });
  const now = overrides.now ?? Date.now;
  const infrastructure = openGameServerInfrastructure(config, { log, now, sessions: overrides.sessions });
  const { redis, leases, sessions } = infrastructure;
  const identity = createIdentityAuth({
    keys: overrides.identityKeys ?? identityKeys(config, log),
    sessions,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    now,
    clockSkewSeconds: config.TOKEN_CLOCK_SKEW,
    maxLifetimeSeconds: config.MAX_TOKEN_LIFETIME,
  });
  const rooms = matchmakerDirectory();
  const keys = new RoomKeyStore(leases, config.ROOM_RECORD_TTL * 1000);
  const codes = new RoomCodeStore(leases, config.ROOM_RECORD_TTL * 1000);
  const presence = new PresenceStore(leases, config.PRESENCE_TTL * 1000);
  const nicknames = new GuestNameStore(leases);
  const tickets = new TicketService({
    identity, rooms, keys, presence, nicknames,
    issuer: config.TICKET_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.TICKET_TTL,
    clockSkewSeconds: config.TOKEN_CLOCK_SKEW,
    now,
  });
  const services = await createRoomServices(config, log, now, infrastructure.outbox);
  const { readiness } = infrastructure;
  const metrics = createGameServerMetrics({ outboxDepth: () => services.results.pending() });
  const ctx: RoomContext = { config, log, now, tickets, sessions, presence, keys, codes, nicknames, rooms, services, metrics };

  const monitorRouter = monitorRoutes({ user: config.ADMIN_USER, password: config.ADMIN_PASSWORD, rooms, log });
  const server = defineServer({
    rooms: { [RoomName.Game]: defineRoom(bindGameRoom(ctx)) },
    transport: new WebSocketTransport({ maxPayload: config.MAX_MESSAGE_BYTES, verifyClient: wsConnectionsPerIp(config.WS_CONNECTIONS_PER_IP, config.TRUST_PROXY).verifyClient }),
    presence: infrastructure.colyseus.presence,
    driver: infrastructure.colyseus.driver,
    publicAddress: publicAddress(config),
    selectProcessIdToCreateRoom: selectLiveProcess,
    gracefullyShutdown: false,
    greet: config.GREET,
    logger: log.child({ component: "colyseus" }),
    express: (app) => {
      app.disable("x-powered-by");
      app.set("etag", false); // answers are per-request (tickets); hashing them is wasted work
      app.get("/healthz", (_req, res) => void res.json({ success: true }));
      app.get("/readyz", async (_req, res) => {
        const { ready, dependencies } = await checkDependencies(readiness, config.REDIS_COMMAND_TIMEOUT);
        if (ready) return void res.json({ status: "ready", dependencies });
        res.setHeader("Retry-After", "1");
        res.status(503).json({ ...new AppError("SERVICE_UNAVAILABLE", "Not reachable: redis.", 1).toBody(), dependencies });
      });
      app.use(
        roomRoutes({
          identity, tickets, codes, rooms,
          maxPlayersLimit: config.MAX_PLAYERS_LIMIT,
          ticketRateLimit: config.TICKET_RATE_LIMIT,
          roomCreateRateLimit: config.ROOM_CREATE_RATE_LIMIT,
          trustProxy: config.TRUST_PROXY,
        }),
      );
      if (monitorRouter) app.use(monitorRouter);
      app.use(notFound);
      app.use(errorMiddleware(log, (code) => metrics.refused("http", code)));
    },
  });
  // Rooms are made by POST /rooms only; clients join by id with a ticket or reconnect.
  matchMaker.controller.exposedMethods = ["joinById", "reconnect"];
  applyCorsPolicy(config.CORS_ORIGINS);
  const http = server.transport.server as HttpServer;
  await listenOrFail(server, http, config.PORT, config.HOST);
  const port = (http.address() as AddressInfo).port;
  const url = `http://${config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST}:${port}`;
  const metricsListener: MetricsListener | undefined =
    config.METRICS_PORT === undefined ? undefined : await listenMetrics({ host: config.METRICS_HOST, port: config.METRICS_PORT, render: metrics.render });
  log.info({ port, host: config.HOST, redis: Boolean(config.REDIS_URL), processId: matchMaker.processId }, "game server listening");
  if (monitorRouter) log.info({ url: `${url}${MONITOR_PATH}/`, user: config.ADMIN_USER }, "monitor on (basic auth, ADMIN_PASSWORD)");
  else log.info("monitor off: set ADMIN_PASSWORD to serve it");

  let closing: Promise<void> | undefined;
  return {
    url,
    metricsUrl: metricsListener?.url,
    port,
    server,
    stores: { presence, keys, codes, nicknames, sessions },
    close: () =>
      (closing ??= (async () => {
        await server.gracefullyShutdown(false);
        await Promise.allSettled([services.close(), metricsListener?.close()]);
        await infrastructure.close();
        await new Promise<void>((resolve) => http.close(() => resolve()));
        log.info("game server closed");
      })()),
  };
}

function identityKeys(config: GameServerConfig, log: Logger): IdentityKeyResolver {
  if (config.IDENTITY_JWKS_URL) {
    return jwksKeyResolver({ url: config.IDENTITY_JWKS_URL, refetchIntervalMs: config.JWKS_REFETCH_INTERVAL * 1000, log });
  }
  if (config.IDENTITY_PUBLIC_KEY) return pemKeyResolver(config.IDENTITY_PUBLIC_KEY);
  log.warn("neither IDENTITY_JWKS_URL nor IDENTITY_PUBLIC_KEY is set: identity tokens are refused");
  return () => undefined;
}

/** The address other processes hand out for rooms of this one (needed with Redis only). */
function publicAddress(config: GameServerConfig): string | undefined {
  if (config.PUBLIC_ADDRESS) return config.PUBLIC_ADDRESS;
  if (!config.REDIS_URL || config.PORT === 0) return undefined;
  return `${config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST}:${config.PORT}`;
}

/**
 * Colyseus's `listen` settles only once the port is bound: a bind error (EADDRINUSE, EACCES) is
 * merely logged and the promise never settles, leaving a process that serves nothing. This rejects
 * on it instead, so the boot fails and the supervisor (or compose) reports and restarts it.
 */
async function listenOrFail(server: { listen(port: number, host: string): Promise<unknown> }, http: HttpServer, port: number, host: string): Promise<void> {
  let failed!: (err: Error) => void;
  const bindError = new Promise<never>((_, reject) => (failed = reject));
  http.once("error", failed);
  try {
    await Promise.race([server.listen(port, host), bindError]);
  } finally {
    http.off("error", failed);
  }
}
