import type { Database, SqlRunner } from "@arena/db";

/** Why a ledger row exists. */
export const LedgerReason = {
  Match: "match",
  LoginBonus: "login_bonus",
  SkinUnlock: "skin_unlock",
  AdminAdjust: "admin_adjust",
} as const;
export type LedgerReason = (typeof LedgerReason)[keyof typeof LedgerReason];

/** One credit to commit (amount > 0). */
export interface Credit {
  userId: number;
  amount: number;
  reason: LedgerReason;
  /** Idempotency key within (user, reason): match id, UTC day… */
  reference: string;
}

/** What became of one credit: the amount the ledger holds for its key, and whether this call wrote it. */
export type CreditOutcome = { kind: "credited" | "replay"; amount: number } | { kind: "no_account" };

/** One ledger row as the owner sees it. */
export interface LedgerRow {
  id: string;
  amount: number;
  reason: LedgerReason;
  reference: string;
  createdAt: Date;
}

/** The profile columns of an account (zeros when it never earned). */
export interface ProfileRow {
  userId: number;
  username: string;
  status: string;
  balance: number;
  lifetimeEarned: number;
  loginStreak: number;
  /** "YYYY-MM-DD" or null. */
  lastBonusDay: string | null;
  /** As stored (may be null or no longer in the catalogue). */
  equippedSkin: string | null;
}

/** The outcome of a spend (skin unlock). */
export type SpendOutcome =
  | { kind: "spent"; balance: number }
  | { kind: "already_owned"; balance: number }
  | { kind: "insufficient"; balance: number }
  | { kind: "no_account" };

/** The outcome of an admin adjustment. */
export type AdjustOutcome =
  | { kind: "adjusted" | "replay"; amount: number; balance: number }
  | { kind: "insufficient"; balance: number }
  | { kind: "no_account" };

/** The points tables (profiles, points_ledger, user_skins, users.equipped_skin). Balance and ledger always change together. */
export interface PointsRepository {
  /** Commits credits in ONE statement (group commit), each at most once per (user, reason, reference); one outcome per credit, in order. */
  creditBatch(credits: Credit[], nowMs: number): Promise<CreditOutcome[]>;
  /** The daily-bonus state and points of an account, or null when there is no such account. */
  profile(userId: number): Promise<ProfileRow | null>;
  /** The same by username. */
  profileByUsername(username: string): Promise<ProfileRow | null>;
  /** Writes a login bonus with its streak, once per (user, day); true when this call wrote it. */
  grantLoginBonus(userId: number, day: string, streak: number, amount: number, nowMs: number): Promise<boolean>;
  /** Unlocks a skin for `price` points in one transaction: owned skin, ledger row and balance together, never below 0. */
  unlockSkin(userId: number, skinId: string, price: number, nowMs: number): Promise<SpendOutcome>;
  /** Sets the equipped skin if `owned` or the user owns it; false when not owned (or no account). */
  equipSkin(userId: number, skinId: string, freeForAll: boolean): Promise<boolean>;
  /** Skin ids an account unlocked. */
  ownedSkins(userId: number): Promise<string[]>;
  /** The newest ledger rows of an account. */
  ledger(userId: number, limit: number): Promise<LedgerRow[]>;
  /** An admin adjustment (+/−) with its audit row, in one transaction; once per reference. */
  adjust(userId: number, amount: number, reference: string, audit: { actorId: number; note: string }, nowMs: number): Promise<AdjustOutcome>;
}

/**
 * The whole credit group commit as ONE statement: the first occurrence of each (user, reason,
 * reference) among active accounts is inserted into the ledger (a key already there is skipped
 * by the unique index), and the inserted amounts are added to each profile's balance and
 * lifetime total in user order (so concurrent batches lock profiles in the same order). The
 * answer lists the inserted rows (i), the rows that were already there (l) and the accounts (u).
 */
const CREDIT_SQL = `
WITH c AS (
  SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[]) AS c(ord, user_id, amount, reason, reference)
),
fresh AS (
  SELECT DISTINCT ON (c.user_id, c.reason, c.reference) c.* FROM c
    JOIN users u ON u.id = c.user_id AND u.status = 'active'
   ORDER BY c.user_id, c.reason, c.reference, c.ord
),
ins AS (
  INSERT INTO points_ledger (user_id, amount, reason, reference, created_at)
  SELECT user_id, amount, reason, reference, $6 FROM fresh ORDER BY user_id, reason, reference
  ON CONFLICT (user_id, reason, reference) DO NOTHING
  RETURNING user_id, amount, reason, reference
),
agg AS (SELECT user_id, sum(amount)::bigint AS amount FROM ins GROUP BY user_id),
up AS (
  INSERT INTO profiles AS p (user_id, balance, lifetime_earned, updated_at)
  SELECT user_id, amount, amount, $6 FROM agg ORDER BY user_id
  ON CONFLICT (user_id) DO UPDATE SET balance = p.balance + excluded.balance,
    lifetime_earned = p.lifetime_earned + excluded.lifetime_earned, updated_at = excluded.updated_at
  RETURNING p.user_id
)
SELECT 'i' AS k, user_id, amount, reason, reference FROM ins
UNION ALL
SELECT 'l', l.user_id, l.amount, l.reason, l.reference FROM points_ledger l
  JOIN (SELECT DISTINCT user_id, reason, reference FROM c) k ON k.user_id = l.user_id AND k.reason = l.reason AND k.reference = l.reference
UNION ALL
SELECT 'u', id, NULL, status, NULL FROM users WHERE id = ANY($2::int[])`;

/** The login bonus: ledger row first (the once-per-day gate), then balance, lifetime and streak from it. */
const LOGIN_BONUS_SQL = `
WITH ins AS (
  INSERT INTO points_ledger (user_id, amount, reason, reference, created_at)
  SELECT id, $2, 'login_bonus', $3, $5 FROM users WHERE id = $1 AND status = 'active'
  ON CONFLICT (user_id, reason, reference) DO NOTHING
  RETURNING user_id, amount
),
up AS (
  INSERT INTO profiles AS p (user_id, balance, lifetime_earned, login_streak, last_bonus_day, updated_at)
  SELECT user_id, amount, amount, $4, $3::date, $5 FROM ins
  ON CONFLICT (user_id) DO UPDATE SET balance = p.balance + excluded.balance,
    lifetime_earned = p.lifetime_earned + excluded.lifetime_earned,
    login_streak = excluded.login_streak, last_bonus_day = excluded.last_bonus_day, updated_at = excluded.updated_at
  RETURNING p.user_id
)
SELECT count(*)::int AS n FROM ins`;

const PROFILE_SQL = `
SELECT u.id AS user_id, u.username, u.status, u.equipped_skin,
       coalesce(p.balance, 0)::text AS balance, coalesce(p.lifetime_earned, 0)::text AS lifetime_earned,
       coalesce(p.login_streak, 0) AS login_streak, p.last_bonus_day::text AS last_bonus_day
  FROM users u LEFT JOIN profiles p ON p.user_id = u.id`;

interface ProfileSqlRow {
  user_id: number;
  username: string;
  status: string;
  equipped_skin: string | null;
  balance: string;
  lifetime_earned: string;
  login_streak: number;
  last_bonus_day: string | null;
}

const toProfile = (r: ProfileSqlRow): ProfileRow => ({
  userId: Number(r.user_id),
  username: r.username,
  status: r.status,
  balance: Number(r.balance),
  lifetimeEarned: Number(r.lifetime_earned),
  loginStreak: Number(r.login_streak),
  lastBonusDay: r.last_bonus_day,
  equippedSkin: r.equipped_skin,
});

const RETRYABLE = new Set(["40P01", "40001"]);
const keyOf = (userId: number | string, reason: string, reference: string) => `${userId}\u0000${reason}\u0000${reference}`;

/** Thrown inside a transaction to roll it back with an answer. */
class Rollback<T> extends Error {
  constructor(readonly outcome: T) {
    super("rollback");
  }
}

async function rollingBack<T>(sql: SqlRunner, fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
  try {
    return await sql.transaction(fn);
  } catch (err) {
    if (err instanceof Rollback) return err.outcome as T;
    throw err;
  }
}

async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 4 || !RETRYABLE.has((err as { code?: string }).code ?? "")) throw err;
    }
  }
}

/** {@link PointsRepository} over PostgreSQL or PGlite (raw SQL: these are hot or must be one statement). */
export function createPointsRepository(db: Database): PointsRepository {
  const { sql } = db;

  async function creditOnce(credits: Credit[], nowMs: number): Promise<CreditOutcome[]> {
    const rows = await sql.query<{ k: "i" | "l" | "u"; user_id: number; amount: number | null; reason: string | null; reference: string | null }>(CREDIT_SQL, [
      credits.map((_, i) => i),
      credits.map((c) => c.userId),
      credits.map((c) => c.amount),
      credits.map((c) => c.reason),
      credits.map((c) => c.reference),
      new Date(nowMs),
    ]);
    const inserted = new Map<string, number>();
    const existing = new Map<string, number>();
    const active = new Set<number>();
    for (const r of rows) {
      if (r.k === "u") {
        if (r.reason === "active") active.add(Number(r.user_id));
      } else (r.k === "i" ? inserted : existing).set(keyOf(r.user_id, r.reason!, r.reference!), Number(r.amount));
    }
    // A key written by a concurrent transaction after this statement's snapshot is in neither list: read it now.
    const missing = credits.filter((c) => active.has(c.userId) && !inserted.has(keyOf(c.userId, c.reason, c.reference)) && !existing.has(keyOf(c.userId, c.reason, c.reference)));
    if (missing.length > 0) {
      const late = await sql.query<{ user_id: number; amount: number; reason: string; reference: string }>(
        `SELECT l.user_id, l.amount, l.reason, l.reference FROM points_ledger l
           JOIN unnest($1::int[], $2::text[], $3::text[]) AS k(user_id, reason, reference)
             ON k.user_id = l.user_id AND k.reason = l.reason AND k.reference = l.reference`,
        [missing.map((c) => c.userId), missing.map((c) => c.reason), missing.map((c) => c.reference)],
      );
      for (const r of late) existing.set(keyOf(r.user_id, r.reason, r.reference), Number(r.amount));
    }
    const claimed = new Set<string>();
    return credits.map((c): CreditOutcome => {
      const key = keyOf(c.userId, c.reason, c.reference);
      const fresh = inserted.get(key);
      if (fresh !== undefined && !claimed.has(key)) {
        claimed.add(key);
        return { kind: "credited", amount: fresh };
      }
      const stored = fresh ?? existing.get(key);
      return stored === undefined ? { kind: "no_account" } : { kind: "replay", amount: stored };
    });
  }

  async function profileWhere(where: string, param: unknown): Promise<ProfileRow | null> {
    const [row] = await sql.query<ProfileSqlRow>(`${PROFILE_SQL} WHERE ${where}`, [param]);
    return row ? toProfile(row) : null;
  }

  return {
    async creditBatch(credits, nowMs) {
      if (credits.length === 0) return [];
      return retrying(() => creditOnce(credits, nowMs));
    },

    profile: (userId) => profileWhere("u.id = $1", userId),
    profileByUsername: (username) => profileWhere("u.username = $1", username),

    async grantLoginBonus(userId, day, streak, amount, nowMs) {
      const [row] = await retrying(() => sql.query<{ n: number }>(LOGIN_BONUS_SQL, [userId, amount, day, streak, new Date(nowMs)]));
      return Number(row?.n ?? 0) === 1;
    },

    unlockSkin(userId, skinId, price, nowMs) {
      return retrying(() =>
        rollingBack<SpendOutcome>(sql, async (tx) => {
          // Lock the account's profile row first: concurrent spends of one account queue here.
          const [user] = await tx.query<{ id: number }>("SELECT id FROM users WHERE id = $1", [userId]);
          if (!user) return { kind: "no_account" };
          await tx.query("INSERT INTO profiles (user_id, updated_at) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING", [userId, new Date(nowMs)]);
          const [profile] = await tx.query<{ balance: string }>("SELECT balance::text AS balance FROM profiles WHERE user_id = $1 FOR UPDATE", [userId]);
          const balance = Number(profile.balance);
          const [owned] = await tx.query("SELECT 1 FROM user_skins WHERE user_id = $1 AND skin_id = $2", [userId, skinId]);
          if (owned) return { kind: "already_owned", balance };
          if (balance < price) throw new Rollback<SpendOutcome>({ kind: "insufficient", balance });
          const [paid] = await tx.query<{ balance: string }>(
            "UPDATE profiles SET balance = balance - $2, updated_at = $3 WHERE user_id = $1 AND balance >= $2 RETURNING balance::text AS balance",
            [userId, price, new Date(nowMs)],
          );
          if (!paid) throw new Rollback<SpendOutcome>({ kind: "insufficient", balance });
          await tx.query("INSERT INTO user_skins (user_id, skin_id, unlocked_at) VALUES ($1, $2, $3)", [userId, skinId, new Date(nowMs)]);
          if (price > 0) {
            await tx.query("INSERT INTO points_ledger (user_id, amount, reason, reference, created_at) VALUES ($1, $2, 'skin_unlock', $3, $4)", [userId, -price, skinId, new Date(nowMs)]);
          }
          return { kind: "spent", balance: Number(paid.balance) };
        }),
      );
    },

    async equipSkin(userId, skinId, freeForAll) {
      const rows = await sql.query(
        `UPDATE users SET equipped_skin = $2 WHERE id = $1
            AND ($3::boolean OR EXISTS (SELECT 1 FROM user_skins s WHERE s.user_id = $1 AND s.skin_id = $2)) RETURNING id`,
        [userId, skinId, freeForAll],
      );
      return rows.length === 1;
    },

    async ownedSkins(userId) {
      const rows = await sql.query<{ skin_id: string }>("SELECT skin_id FROM user_skins WHERE user_id = $1 ORDER BY unlocked_at, skin_id", [userId]);
      return rows.map((r) => r.skin_id);
    },

    async ledger(userId, limit) {
      const rows = await sql.query<{ id: string; amount: number; reason: LedgerReason; reference: string; created_at: Date | string }>(
        "SELECT id::text AS id, amount, reason, reference, created_at FROM points_ledger WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
        [userId, limit],
      );
      return rows.map((r) => ({ id: r.id, amount: Number(r.amount), reason: r.reason, reference: r.reference, createdAt: new Date(r.created_at) }));
    },

    adjust(userId, amount, reference, audit, nowMs) {
      const at = new Date(nowMs);
      return retrying(() =>
        rollingBack<AdjustOutcome>(sql, async (tx) => {
          const [user] = await tx.query<{ id: number }>("SELECT id FROM users WHERE id = $1", [userId]);
          if (!user) return { kind: "no_account" };
          await tx.query("INSERT INTO profiles (user_id, updated_at) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING", [userId, at]);
          const [profile] = await tx.query<{ balance: string }>("SELECT balance::text AS balance FROM profiles WHERE user_id = $1 FOR UPDATE", [userId]);
          const [earlier] = await tx.query<{ amount: number }>(
            "SELECT amount FROM points_ledger WHERE user_id = $1 AND reason = 'admin_adjust' AND reference = $2",
            [userId, reference],
          );
          if (earlier) return { kind: "replay", amount: Number(earlier.amount), balance: Number(profile.balance) };
          const [next] = await tx.query<{ balance: string }>(
            `UPDATE profiles SET balance = balance + $2, lifetime_earned = lifetime_earned + GREATEST($2, 0), updated_at = $3
              WHERE user_id = $1 AND balance + $2 >= 0 RETURNING balance::text AS balance`,
            [userId, amount, at],
          );
          if (!next) throw new Rollback<AdjustOutcome>({ kind: "insufficient", balance: Number(profile.balance) });
          await tx.query("INSERT INTO points_ledger (user_id, amount, reason, reference, created_at) VALUES ($1, $2, 'admin_adjust', $3, $4)", [userId, amount, reference, at]);
          await tx.query("INSERT INTO audit_log (at, event, user_id, data) VALUES ($1, 'admin.points', $2, $3)", [
            at,
            userId,
            JSON.stringify({ by: audit.actorId, amount, note: audit.note, reference, balance: Number(next.balance) }),
          ]);
          return { kind: "adjusted", amount, balance: Number(next.balance) };
        }),
      );
    },
  };
}
