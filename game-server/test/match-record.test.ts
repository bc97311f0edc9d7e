import assert from "node:assert/strict";
import { matchRecordSchema } from "@arena/shared/contracts/internal-api";
import { createRoomGameTokens } from "../src/game/room-game-tokens.ts";
import { matchRecordBody, placeLines, resultLines, type RoundPlayer } from "../src/match/match-record.ts";
import { AppendLog, DEFAULT_GAME_SETTINGS, createSession, endSession, startSession, type GameSession } from "@arena/shared/rules/index";

const T0 = 1_800_000_000_000;
const tokens = createRoomGameTokens();

function ended(id: string, player: string, points: number, reason: "timer" | "burst_abuse"): GameSession {
  const started = startSession(createSession({ id, player, mode: "classic", seed: 7, settings: DEFAULT_GAME_SETTINGS, nowMs: T0 }), 0, T0, tokens);
  if ("reject" in started) throw new Error(started.reject);
  const fake = Array.from({ length: points }, (_, n) => ({ token: `t${n}`, n, serverTs: T0 + n, clientTs: n }));
  return endSession({ ...started.session, points: AppendLog.from(fake) }, reason, T0 + 30_000, tokens);
}

const players: RoundPlayer[] = [
  { sub: "11", sessionId: "a", nick: "alice", guest: false, session: ended("00000000-0000-4000-8000-00000000000a", "11", 4, "timer") },
  { sub: "guest:bob", sessionId: "b", nick: "bob", guest: true, session: ended("00000000-0000-4000-8000-00000000000b", "guest:bob", 9, "burst_abuse") },
  { sub: "12", sessionId: "c", nick: "carol", guest: false, session: ended("00000000-0000-4000-8000-00000000000c", "12", 4, "timer") },
];

describe("match record", () => {
  it("places a round and marks which accounts still owe a submission", () => {
    const lines = placeLines("classic", players);
    assert.deepEqual(lines.map((l) => [l.nick, l.placement, l.flagged, l.awaiting]), [["alice", 1, false, true], ["carol", 1, false, true], ["bob", 3, true, false]]);
  });

  it("builds a body the backend's contract accepts, with results saved only where judged so", () => {
    const lines = placeLines("classic", players);
    lines[0].resultSaved = true;
    const body = matchRecordBody({ matchId: "00000000-0000-4000-8000-0000000000ff", roomCode: "ABCDEF", mode: "classic", round: 2, solo: false, outcome: "completed", startedAt: T0, endedAt: T0 + 30_000, lines });
    assert.equal(matchRecordSchema.safeParse(body).success, true);
    assert.deepEqual(body.players.map((p) => [p.user_id, p.placement, p.result_saved, p.result_id]), [
      ["11", 1, true, "00000000-0000-4000-8000-00000000000a"], ["12", 1, false, null], [null, 3, false, null],
    ]);
    assert.deepEqual(resultLines(lines, { "11": 30 }).map((l) => l.pointsEarned), [30, 0, 0]);
  });

  it("a called-off round places nobody and saves no result", () => {
    const lines = placeLines("classic", players);
    lines[0].resultSaved = true;
    const body = matchRecordBody({ matchId: "00000000-0000-4000-8000-0000000000fe", roomCode: "ABCDEF", mode: "classic", round: 1, solo: false, outcome: "called_off", startedAt: T0, endedAt: T0 - 5, lines });
    assert.equal(matchRecordSchema.safeParse(body).success, true);
    assert.deepEqual(body.players.map((p) => [p.placement, p.result_saved, p.result_id]), [[0, false, null], [0, false, null], [0, false, null]]);
    assert.equal(body.ended_at, body.started_at, "never ends before it started");
  });
});
