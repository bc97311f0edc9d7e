// What the fault scenarios' clients do and see: HTTP calls that never wait forever, players
// that log in, and a score load that retries each action (same action_id) until it is saved.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

/** Longer than any answer may take while a dependency is down: beyond it a request "hangs". */
export const HANG_MS = 12_000;

/** One answer as a client saw it. */
export interface Answer {
  /** HTTP status, "network" (refused / reset: the process is gone) or "hang" (no answer within HANG_MS). */
  status: number | "network" | "hang";
  body: any;
  /** The Retry-After header, when sent. */
  retryAfterHeader?: string;
}

export async function call(method: string, url: string, body?: unknown, token?: string): Promise<Answer> {
  try {
    const res = await fetch(url, {
      method,
      headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(HANG_MS),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, body: parsed, retryAfterHeader: res.headers.get("retry-after") ?? undefined };
  } catch (err) {
    const name = (err as Error).name;
    return { status: name === "TimeoutError" || name === "AbortError" ? "hang" : "network", body: String(err) };
  }
}

/** An answer a client can act on during an outage: success, or 503 SERVICE_UNAVAILABLE with retry_after. */
export function isOutageAnswer(answer: Answer): boolean {
  return answer.status === 503 && answer.body?.error_code === "SERVICE_UNAVAILABLE" && Number(answer.body?.retry_after) >= 1 && answer.retryAfterHeader !== undefined;
}

/** Fails listing every answer that is neither expected nor a proper 503 (a 500, a hang, a wrong code). */
export function assertOnlyExpected(answers: Answer[], expected: (a: Answer) => boolean, what: string): void {
  const bad = answers.filter((a) => !expected(a) && !isOutageAnswer(a));
  assert.deepEqual(bad.slice(0, 5), [], `${what}: ${bad.length} unexpected answers of ${answers.length}`);
}

export interface LoggedIn {
  token: string;
  userId: string;
  username: string;
}

export async function registerAndLogin(backend: string, username: string): Promise<LoggedIn> {
  const password = "correct horse battery";
  const registered = await call("POST", `${backend}/auth/register`, { username, password });
  assert.equal(registered.status, 201, JSON.stringify(registered.body));
  const login = await call("POST", `${backend}/auth/login`, { username, password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return { token: login.body.access_token, userId: String(login.body.user.id), username };
}

/**
 * Score clients: each worker posts `action_complete` actions; an action is retried with its
 * own action_id after a 503 or a network error until it is answered 200 ("saved"), as a
 * client following retry_after would. Every answer is kept.
 */
export class ScoreLoad {
  readonly answers: Answer[] = [];
  /** action_id → points, for every action answered 200. */
  readonly saved = new Map<string, number>();
  private running = true;
  private readonly workers: Promise<void>[] = [];

  constructor(
    private readonly backend: string,
    private readonly players: LoggedIn[],
    perPlayer = 2,
  ) {
    for (const player of players) for (let i = 0; i < perPlayer; i++) this.workers.push(this.work(player));
  }

  private async work(player: LoggedIn): Promise<void> {
    while (this.running) {
      const actionId = randomUUID();
      const points = 1 + Math.floor(Math.random() * 9);
      const deadline = Date.now() + 60_000;
      for (;;) {
        const answer = await call("POST", `${this.backend}/api/scores`, { action_id: actionId, action_type: "action_complete", points }, player.token);
        this.answers.push(answer);
        if (answer.status === 200) {
          this.saved.set(actionId, points);
          break;
        }
        if (answer.status !== 503 && answer.status !== "network") break; // a wrong answer: kept for the assertions
        if (Date.now() > deadline) throw new Error(`action ${actionId} never saved: last ${JSON.stringify(answer)}`);
        await sleep(answer.status === 503 ? Math.min(1000, 200 * Number(answer.body?.retry_after ?? 1)) : 200);
      }
      await sleep(20);
    }
  }

  /** Lets every worker finish its current action (retried until saved), then stops. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  /** The count of answers by status, e.g. { "200": 120, "503": 14, network: 3 }. */
  tally(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const a of this.answers) counts[String(a.status)] = (counts[String(a.status)] ?? 0) + 1;
    return counts;
  }
}

/**
 * Checks the database against what clients were told: every action answered "saved" has its
 * row, no other row exists for these players, no action counts twice, and each player's
 * all-time general score is exactly the sum of its saved actions.
 */
export async function assertLedger(databaseUrl: string, load: ScoreLoad, players: LoggedIn[]): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const ids = players.map((p) => Number(p.userId));
    const { rows } = await db.query<{ action_id: string; points: number }>(
      `SELECT action_id, points FROM score_history WHERE user_id = ANY($1) AND action_type = 'action_complete'`,
      [ids],
    );
    const stored = new Map(rows.map((r) => [r.action_id, r.points]));
    assert.equal(stored.size, rows.length, "an action stored twice");
    const missing = [...load.saved.keys()].filter((id) => !stored.has(id));
    assert.deepEqual(missing, [], "answered saved without a durable row");
    const unknown = [...stored.keys()].filter((id) => !load.saved.has(id));
    assert.deepEqual(unknown, [], "rows for actions never answered saved");
    const totals = await db.query<{ user_id: number; score: string }>(
      `SELECT user_id, score FROM scores WHERE user_id = ANY($1) AND board = 'general' AND period = 'all'`,
      [ids],
    );
    const expected = [...load.saved.values()].reduce((a, b) => a + b, 0);
    const actual = totals.rows.reduce((sum, r) => sum + Number(r.score), 0);
    assert.equal(actual, expected, "all-time totals differ from the saved actions (doubled or lost points)");
  } finally {
    await db.end();
  }
}
