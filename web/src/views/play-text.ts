import type { EndReason } from "@arena/shared/rules/game-session";
import type { RejectReason } from "@arena/shared/rules/validate-submission";

/** Why the game ended, in a player's words. */
export const END_TEXT: Record<EndReason, string> = {
  timer: "Time's up!",
  completed: "All steps done!",
  timeout: "The game ran too long and was stopped.",
  burst_abuse: "The game was stopped: clicks came in faster than a person can click. The account was flagged for review.",
  called_off: "The round was called off: the other player went away. Nobody is placed.",
  abandoned: "You left the round before finishing.",
};

/** Why a result was rejected, in a player's words. */
export const REJECT_TEXT: Record<RejectReason, string> = {
  replay: "This game's result was already sent.",
  not_current_session: "That result was for an earlier game; nothing changed.",
  missing_end_token: "The game didn't finish normally, so there's no score to save.",
  game_not_over: "The game wasn't over yet; send the result once it ends.",
  game_aborted: "The game was stopped, so its score can't be saved.",
  forged_token: "The result contained data the server never issued.",
  other_session_token: "The result mixed in data from another game.",
  wrong_token_kind: "The result's data was malformed.",
  start_token_mismatch: "The result didn't match the game that was started.",
  end_token_mismatch: "The result didn't match the end of the game.",
  reused_point_token: "The result counted a point twice.",
  unknown_point_token: "The result contained a point the server never accepted.",
  timestamp_mismatch: "The result's timings didn't match the server's.",
  clock_skew: "Your device's clock disagreed with the game clock.",
  incomplete: "Not all steps were completed.",
};
