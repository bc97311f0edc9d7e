// The bench's playing client, shared by match-bench-clients.ts and bench/cluster-clients.ts: one seat
// that waits for the game's messages, aims at the current target, keeps its accepted point tokens,
// and plays a game from game_started to the judged result as the web client does.
import type { Room } from "@colyseus/sdk";
import { ClientMessage, ServerMessage } from "@arena/shared";

/** The messages a bench player waits for (one waiter at a time per type). */
const AWAITED = [ServerMessage.GameStarted, ServerMessage.EndGame, ServerMessage.Result, ServerMessage.MatchResults] as const;

export class BenchPlayer {
  /** The target to hit next (from game_started, then from each point_accepted). */
  target: any = null;
  /** This game's accepted points, as the submission carries them. */
  readonly points: { token: string; clientTs: number }[] = [];
  private readonly waiting = new Map<string, (payload: any) => void>();

  /** `answered` hears every point's answer with its round trip. */
  constructor(
    readonly room: Room,
    answered: (accepted: boolean, rttMs: number) => void,
  ) {
    for (const type of AWAITED) {
      room.onMessage(type, (payload: any) => {
        this.waiting.get(type)?.(payload);
        this.waiting.delete(type);
      });
    }
    room.onMessage(ServerMessage.PointAccepted, (m: any) => {
      answered(true, Date.now() - m.clientTs);
      this.points.push({ token: m.token, clientTs: m.clientTs });
      this.target = m.target ?? this.target;
    });
    room.onMessage(ServerMessage.PointRejected, (m: any) => answered(false, Date.now() - m.clientTs));
  }

  /** The next message of `type`; with `timeoutMs`, rejects when none came by then. */
  wait(type: (typeof AWAITED)[number], timeoutMs?: number): Promise<any> {
    return new Promise<any>((resolve, reject) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => reject(new Error(`no ${type}`)), timeoutMs);
      this.waiting.set(type, (payload) => (clearTimeout(timer), resolve(payload)));
    });
  }

  /**
   * One game: once `started` (a wait for game_started set up before the round was started) resolves,
   * points at `rate` per second until end_game, then the submission; resolves with the result message.
   */
  async playGame(started: Promise<any>, rate: number, timeoutMs?: number): Promise<any> {
    this.points.length = 0;
    const game = await started;
    this.target = game.target;
    const end = this.wait(ServerMessage.EndGame, timeoutMs);
    const aim = () => this.room.send(ClientMessage.Point, { clientTs: Date.now(), target: this.target.index, x: this.target.x, y: this.target.y });
    const ticker = setInterval(aim, 1000 / rate);
    const ended = await end.finally(() => clearInterval(ticker));
    await new Promise((res) => setTimeout(res, 50));
    const answered = this.wait(ServerMessage.Result, timeoutMs);
    this.room.send(ClientMessage.Submit, { sessionId: game.sessionId, startToken: game.startToken, endToken: ended.endToken, points: [...this.points] });
    return answered;
  }
}
