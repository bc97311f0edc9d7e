import type { GameMode } from "@arena/shared/protocol";
import { PlayerError } from "../error-text.ts";
import type { AuthSession } from "./auth-session.ts";
import { requestJson } from "./http-client.ts";

/** Options of a new room (game server `POST /rooms`). */
export interface RoomOptions {
  mode: GameMode;
  ranked: boolean;
  allowGuests: boolean;
  maxPlayers: number;
}

/** A room as the lobby shows it. */
export interface RoomSummary {
  roomId: string;
  code: string;
  mode?: GameMode;
  ranked?: boolean;
  allowGuests?: boolean;
  clients?: number;
  maxPlayers?: number;
}

/** The game server's HTTP API: rooms and tickets. */
export class GameApi {
  constructor(
    private readonly baseUrl: string,
    private readonly auth: AuthSession,
  ) {}

  /** Creates a room (logged-in players only) and returns its id and code. */
  createRoom(options: RoomOptions): Promise<RoomSummary> {
    return this.auth.withToken(async (token) => {
      const body = await requestJson<Record<string, unknown>>(`${this.baseUrl}/rooms`, { body: options, token });
      return toSummary(body);
    });
  }

  /** Resolves a room code to a room. */
  async roomByCode(code: string): Promise<RoomSummary> {
    const clean = code.trim().toUpperCase();
    if (!clean) throw new PlayerError("ROOM_NOT_FOUND");
    const body = await requestJson<Record<string, unknown>>(`${this.baseUrl}/rooms/by-code/${encodeURIComponent(clean)}`);
    return toSummary(body);
  }

  /** Joinable public rooms. */
  async listRooms(): Promise<RoomSummary[]> {
    const body = await requestJson<unknown>(`${this.baseUrl}/rooms`);
    const list = Array.isArray(body) ? body : ((body as { rooms?: unknown[] }).rooms ?? []);
    return list.map((item) => toSummary(item as Record<string, unknown>));
  }

  /** A room ticket: with the player's identity JWT, or the guest's nickname. */
  async ticket(roomId: string): Promise<string> {
    const url = `${this.baseUrl}/getTicket/${encodeURIComponent(roomId)}`;
    const player = this.auth.player;
    const body =
      player.kind === "user"
        ? await this.auth.withToken((token) => requestJson<Record<string, unknown>>(url, { body: {}, token }))
        : player.kind === "guest"
          ? await requestJson<Record<string, unknown>>(url, { body: { username: player.nickname } })
          : undefined;
    if (!body) throw new PlayerError("UNAUTHORIZED");
    const ticket = body.ticket ?? body.token;
    if (typeof ticket !== "string") throw new PlayerError("INTERNAL", "ticket answer without a ticket");
    return ticket;
  }
}

function toSummary(raw: Record<string, unknown>): RoomSummary {
  const source = (typeof raw.room === "object" && raw.room !== null ? raw.room : raw) as Record<string, unknown>;
  const meta = (typeof source.metadata === "object" && source.metadata !== null ? source.metadata : {}) as Record<string, unknown>;
  const pick = (key: string) => source[key] ?? meta[key];
  const roomId = pick("roomId");
  if (typeof roomId !== "string") throw new PlayerError("ROOM_NOT_FOUND");
  return {
    roomId,
    code: String(pick("code") ?? ""),
    mode: pick("mode") as GameMode | undefined,
    ranked: pick("ranked") as boolean | undefined,
    allowGuests: pick("allowGuests") as boolean | undefined,
    clients: (pick("players") ?? pick("clients")) as number | undefined,
    maxPlayers: (pick("maxPlayers") ?? pick("maxClients")) as number | undefined,
  };
}
