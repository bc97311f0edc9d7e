import assert from "node:assert/strict";
import { ERRORS } from "@arena/shared/errors";
import { RoomErrorCode } from "@arena/shared/protocol";
import { describeError, ERROR_TEXT, errorCodeOf, InputError, PlayerError } from "./error-text.ts";

describe("error words", () => {
  it("has a sentence for every error code and nothing else", () => {
    assert.deepEqual(Object.keys(ERROR_TEXT).sort(), Object.keys(ERRORS).sort());
    for (const text of Object.values(ERROR_TEXT)) assert.ok(text.length > 3);
  });

  it("reads the code from our errors, error bodies and numeric room errors", () => {
    assert.equal(errorCodeOf(new PlayerError("ROOM_FULL")), "ROOM_FULL");
    assert.equal(errorCodeOf({ success: false, error_code: "USERNAME_TAKEN", message: "x" }), "USERNAME_TAKEN");
    assert.equal(errorCodeOf({ code: "NICKNAME_TAKEN" }), "NICKNAME_TAKEN");
    assert.equal(errorCodeOf({ code: RoomErrorCode.TICKET_EXPIRED, message: "expired" }), "TICKET_EXPIRED");
    assert.equal(errorCodeOf({ code: 4212, message: "seat reservation expired" }), "INTERNAL");
    assert.equal(errorCodeOf(new TypeError("Failed to fetch")), "SERVICE_UNAVAILABLE");
    assert.equal(errorCodeOf("nonsense"), "INTERNAL");
  });

  it("adds the wait when the server gave one, and passes form messages through", () => {
    assert.equal(describeError(new PlayerError("ACCOUNT_LOCKED", "locked", 30)), `${ERROR_TEXT.ACCOUNT_LOCKED} (wait 30 s)`);
    assert.equal(describeError(new PlayerError("TEMPORARILY_BANNED", "x", 600)), `${ERROR_TEXT.TEMPORARILY_BANNED} (wait 10 min)`);
    assert.equal(describeError(new PlayerError("CHAT_RATE_LIMITED", "x", 7)), `${ERROR_TEXT.CHAT_RATE_LIMITED} (wait 7 s)`);
    assert.equal(describeError(new InputError("Nickname: at least 3 characters.")), "Nickname: at least 3 characters.");
  });
});
