import { DEFAULT_GAME_SETTINGS, type GameSettings } from "../src/rules/game-settings.ts";
import { createSession, startSession, type GameSession } from "../src/rules/game-session.ts";
import type { GameTokens, TokenClaims } from "../src/rules/game-tokens.ts";
import { hash32 } from "../src/rules/seeded-random.ts";
import type { GameMode } from "../src/protocol.ts";
import type { PointInput } from "../src/rules/accept-point.ts";

/**
 * Deterministic {@link GameTokens} for rule tests: readable claims plus a keyed hash.
 * Not secure (32-bit, non-cryptographic); the game server uses HMAC-SHA256.
 */
export function plainTokens(key = 42): GameTokens {
  const sign = (body: string) => hash32(key, ...Array.from(body, (c) => c.charCodeAt(0))).toString(16);
  return {
    issue(claims: TokenClaims) {
      const body = [claims.sid, claims.player, claims.kind, claims.n].join("|");
      return `${body}|${sign(body)}`;
    },
    open(token: string) {
      const parts = token.split("|");
      if (parts.length !== 5) return null;
      const body = parts.slice(0, 4).join("|");
      if (sign(body) !== parts[4]) return null;
      return { sid: parts[0], player: parts[1], kind: parts[2] as TokenClaims["kind"], n: Number(parts[3]) };
    },
  };
}

export const T0 = 1_800_000_000_000;
/** The client clock runs this far from the server's in tests (a real, harmless offset). */
export const CLIENT_OFFSET = -123_456;

export function runningSession(
  mode: GameMode,
  tokens: GameTokens,
  settings: Partial<GameSettings> = {},
  id = "00000000-0000-4000-8000-000000000001",
): GameSession {
  const session = createSession({ id, player: "7", mode, seed: 1234, settings: { ...DEFAULT_GAME_SETTINGS, ...settings }, nowMs: T0 - 500 });
  const started = startSession(session, T0 + CLIENT_OFFSET, T0, tokens);
  if ("reject" in started) throw new Error(started.reject);
  return started.session;
}

/** A point that hits the session's current target, sent at server time `nowMs` with no latency. */
export function hitNow(session: GameSession, nowMs: number): PointInput {
  const t = session.target!;
  return { target: t.index, x: t.x, y: t.y, clientTs: nowMs + CLIENT_OFFSET };
}
