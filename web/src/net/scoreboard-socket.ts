import { type Board, type Period, ScoreboardMessage } from "@arena/shared/protocol";

/** One row of a board (docs/api-scores.md). */
export interface BoardEntry {
  rank: number;
  user_id: string;
  username: string;
  score: number;
  last_updated?: string;
}

/** What the live scoreboard tells its view. */
export interface ScoreboardEvents {
  /** A full top 10 (snapshot or update); `changed` holds ranks that moved. */
  board(entries: BoardEntry[], changed: number[], totalPlayers?: number): void;
  /** The logged-in player's own new score and rank. */
  own(update: { newScore: number; rank: number; pointsGained?: number }): void;
  /** Connection state for the status line. */
  status(state: "connecting" | "live" | "offline"): void;
}

/**
 * `WebSocket /ws/scoreboard`: authenticates with the access JWT in the first message
 * (browsers cannot set headers), subscribes to one board and period, and reconnects
 * with a growing delay when the socket drops.
 */
export class ScoreboardSocket {
  #socket: WebSocket | null = null;
  #closed = false;
  #retryMs = 500;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly url: string,
    private readonly token: () => Promise<string | null>,
    private board: Board,
    private period: Period,
    private readonly events: ScoreboardEvents,
  ) {
    void this.#connect();
  }

  /** Switches the watched board and period. */
  watch(board: Board, period: Period): void {
    this.board = board;
    this.period = period;
    this.#send({ type: ScoreboardMessage.Subscribe, board, period });
  }

  close(): void {
    this.#closed = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#socket?.close(1000);
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    this.events.status("connecting");
    const token = await this.token().catch(() => null);
    if (this.#closed) return;
    const socket = new WebSocket(this.url);
    this.#socket = socket;
    socket.addEventListener("open", () => {
      this.#retryMs = 500;
      if (token) this.#send({ type: ScoreboardMessage.Auth, token });
      this.#send({ type: ScoreboardMessage.Subscribe, board: this.board, period: this.period });
      this.events.status("live");
    });
    socket.addEventListener("message", (event) => this.#receive(event.data));
    socket.addEventListener("close", () => {
      if (this.#socket !== socket || this.#closed) return;
      this.events.status("offline");
      this.#retryTimer = setTimeout(() => void this.#connect(), this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, 10_000);
    });
  }

  #send(message: Record<string, unknown>): void {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  #receive(data: unknown): void {
    if (typeof data !== "string") return;
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return;
    }
    const payload = (typeof message.data === "object" && message.data !== null ? message.data : message) as Record<string, unknown>;
    if (payload.board !== undefined && payload.board !== this.board) return;
    if (payload.period !== undefined && payload.period !== this.period) return;
    switch (message.type) {
      case ScoreboardMessage.Snapshot:
      case ScoreboardMessage.LeaderboardUpdate: {
        const entries = Array.isArray(payload.leaderboard) ? (payload.leaderboard as BoardEntry[]) : [];
        const changed = Array.isArray(payload.changed_ranks) ? (payload.changed_ranks as unknown[]).map(rankOf) : [];
        const total = typeof payload.total_players === "number" ? payload.total_players : undefined;
        this.events.board(entries, changed, total);
        break;
      }
      case ScoreboardMessage.ScoreUpdate:
        if (typeof payload.new_score === "number" && typeof payload.rank === "number") {
          this.events.own({
            newScore: payload.new_score,
            rank: payload.rank,
            pointsGained: typeof payload.points_gained === "number" ? payload.points_gained : undefined,
          });
        }
        break;
    }
  }
}

function rankOf(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "object" && value !== null && typeof (value as { rank?: unknown }).rank === "number") {
    return (value as { rank: number }).rank;
  }
  return -1;
}

/** `http(s)://host` → `ws(s)://host/ws/scoreboard`. */
export function scoreboardUrl(backendUrl: string): string {
  return `${backendUrl.replace(/^http/, "ws")}/ws/scoreboard`;
}
