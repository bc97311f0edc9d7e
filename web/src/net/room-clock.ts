/** The page's clock for point timestamps: monotonic, in epoch ms. */
export const clientNow = (): number => Math.round(performance.timeOrigin + performance.now());

/**
 * The page's clock against the room's. The offset (page − server) is taken the way the room
 * takes it: `ping { t }` makes the room store `t − its receipt time`, and `pong` hands back both,
 * so the page anchors a round's games exactly where the room does.
 */
export class RoomClock {
  #offset: number | null = null;

  /** Page − server, ms; null until the first sample. */
  get offset(): number | null {
    return this.#offset;
  }

  /** A sample: page time `clientTs` met server time `serverTime`. */
  sample(clientTs: number, serverTime: number): void {
    if (Number.isFinite(clientTs) && Number.isFinite(serverTime)) this.#offset = clientTs - serverTime;
  }

  /** A server instant on the page's clock (the same instant when no sample exists yet). */
  toClient(serverMs: number): number {
    return serverMs + (this.#offset ?? 0);
  }
}
