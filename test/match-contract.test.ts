// The match-record and chat-audit contract across the two apps: bodies built with the shared
// types, signed with the game server's own service-token signer, accepted by the real backend,
// and answered in the shapes the shared response schemas describe.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import {
  chatBatchResponseSchema,
  InternalRoute,
  MatchOutcome,
  matchRecordResponseSchema,
  type ChatBatchBody,
  type MatchRecordBody,
} from "@arena/shared/contracts/internal-api";
import { createServiceTokenSigner } from "../game-server/src/game/service-token.ts";
import { startTestBackend, type TestBackend } from "../backend/test/support/test-backend.ts";
import { call } from "./support.ts";

describe("contract: game server → backend match records and chat", function () {
  let backend: TestBackend;
  let serviceToken: () => string;
  let player: { id: string; token: string; username: string };

  before(async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    serviceToken = createServiceTokenSigner(privateKey.export({ type: "pkcs8", format: "pem" }) as string);
    backend = await startTestBackend({ env: { SERVICE_PUBLIC_KEY: publicKey.export({ type: "spki", format: "pem" }) as string } });
    const { body } = await backend.login("contract_player");
    player = { id: String(body.user.id), token: body.access_token, username: body.user.username };
  });
  after(async () => backend?.close());

  it("accepts a match record of the shared type, replays it, and lists it in the player's history", async () => {
    const ended = Date.now();
    const record: MatchRecordBody = {
      match_id: randomUUID(),
      room_code: "CNTRC",
      mode: "steps",
      round: 3,
      solo: false,
      outcome: MatchOutcome.Completed,
      started_at: new Date(ended - 42_000).toISOString(),
      ended_at: new Date(ended).toISOString(),
      players: [
        { user_id: player.id, nick: player.username, guest: false, score: 31_250, placement: 1, flagged: false, finished: true, result_saved: true, result_id: randomUUID() },
        { user_id: null, nick: "visitor", guest: true, score: 0, placement: 2, flagged: false, finished: false, result_saved: false, result_id: null },
      ],
    };
    const first = await call("POST", backend.url + InternalRoute.MatchRecords, record, serviceToken());
    assert.equal(first.status, 200);
    // Steps: 1 for finishing + 28 whole seconds under the 60 s par, × 3 for first place (docs/progression.md).
    assert.deepEqual(matchRecordResponseSchema.parse(first.body), { success: true, match_id: record.match_id, replay: false, points_earned: { [player.id]: 87 } });
    const replay = matchRecordResponseSchema.parse((await call("POST", backend.url + InternalRoute.MatchRecords, record, serviceToken())).body);
    assert.equal(replay.replay, true);
    assert.deepEqual(replay.points_earned, { [player.id]: 87 });

    const history = await call("GET", `${backend.url}/api/me/matches`, undefined, player.token);
    assert.deepEqual(
      history.body.matches.map((m: any) => [m.match_id, m.mode, m.me.placement, m.players.map((p: any) => p.nick)]),
      [[record.match_id, "steps", 1, [player.username, "visitor"]]],
    );
  });

  it("accepts a chat batch of the shared type, each line once", async () => {
    const batch: ChatBatchBody = {
      messages: [
        { message_id: randomUUID(), room_code: "CNTRC", sender_user_id: player.id, sender_nick: player.username, guest: false, text: "gg", sent_at: new Date().toISOString() },
        { message_id: randomUUID(), room_code: "CNTRC", sender_user_id: null, sender_nick: "visitor", guest: true, text: "gg wp", sent_at: new Date().toISOString() },
      ],
    };
    const first = await call("POST", backend.url + InternalRoute.ChatMessages, batch, serviceToken());
    assert.deepEqual([first.status, chatBatchResponseSchema.parse(first.body)], [200, { success: true, stored: 2, replayed: 0 }]);
    const again = await call("POST", backend.url + InternalRoute.ChatMessages, batch, serviceToken());
    assert.deepEqual(chatBatchResponseSchema.parse(again.body), { success: true, stored: 0, replayed: 2 });
  });
});
