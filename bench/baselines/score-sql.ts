// The project's score update reduced to one request = one transaction: upsert the user's total on
// the general board for every period key and append the history row carrying the new all-time
// total (the same tables, conflict target and columns as backend/src/scores/score-repository.ts).

/** Parameters: $1 user id, $2 points, $3 period keys, $4 action id. */
export const BARE_SCORE_SQL = `
WITH up AS (
  INSERT INTO scores AS s (board, period, user_id, score, reached_at, updated_at)
  SELECT 'general', p.period, $1::int, $2::int, now(), now() FROM unnest($3::text[]) AS p(period)
  ON CONFLICT (board, period, user_id) DO UPDATE SET
    score = s.score + excluded.score, reached_at = excluded.reached_at, updated_at = excluded.updated_at
  RETURNING s.period, s.score
)
INSERT INTO score_history (user_id, action_id, action_type, board, points, new_score, created_at)
SELECT $1::int, $4::text, 'action_complete', 'general', $2::int, up.score, now() FROM up WHERE up.period = 'all'
RETURNING new_score`;

/** The same statement as a pgbench script: random user among `users`, random points, fresh action id. */
export function pgbenchScript(users: number, periods: string[]): string {
  const sql = BARE_SCORE_SQL.replaceAll("$1::int", ":uid")
    .replaceAll("$2::int", ":pts")
    .replace("$3::text[]", `ARRAY[${periods.map((p) => `'${p}'`).join(",")}]`)
    .replace("$4::text", "md5(random()::text || clock_timestamp()::text)");
  return `\\set uid random(1, ${users})\n\\set pts random(1, 100)\nBEGIN;\n${sql.trim().replace(/\s*\n\s*/g, " ")};\nCOMMIT;\n`;
}
