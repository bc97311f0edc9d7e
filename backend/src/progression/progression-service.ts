import { randomUUID } from "node:crypto";
import type pino from "pino";
import { AppError } from "@arena/shared";
import type { MatchRecordBody } from "@arena/shared/contracts/internal-api";
import {
  currentStreak,
  dailyBonusDue,
  DEFAULT_SKIN_ID,
  findSkin,
  matchProfilePoints,
  resolveSkinId,
  SKINS,
  utcDayKey,
  type DailyBonusRules,
  type MatchPointRules,
  type Skin,
} from "@arena/shared/progression/index";
import { GroupCommitBatcher, type BatcherOptions } from "../scores/group-commit-batcher.ts";
import { LedgerReason, type Credit, type CreditOutcome, type LedgerRow, type PointsRepository, type ProfileRow } from "./points-repository.ts";

/** A daily login bonus just granted: the response that granted it carries this. */
export interface DailyBonusGrant {
  /** Points credited. */
  granted: number;
  /** Consecutive UTC days, today included. */
  streak: number;
  /** The UTC day, "YYYY-MM-DD". */
  day: string;
}

/** Grants the daily login bonus of a user if due (exactly once per UTC day); null when not granted now. */
export type DailyBonusHook = (userId: number) => Promise<DailyBonusGrant | null>;

/** A player's own profile (GET /api/profile). */
export interface OwnProfile {
  username: string;
  balance: number;
  lifetimeEarned: number;
  loginStreak: number;
  ownedSkins: string[];
  equippedSkin: string;
  /** Newest first. */
  ledger: LedgerRow[];
}

/** Best placement in one mode. */
export interface BestPlacement {
  mode: string;
  placement: number;
  matches: number;
}

/** The public card of a player (GET /api/profile/:username): nothing private. */
export interface PublicProfile {
  username: string;
  lifetimePoints: number;
  equippedSkin: string;
  bestPlacements: BestPlacement[];
}

/** One catalogue entry, with the caller's ownership when known. */
export interface SkinListing extends Skin {
  owned: boolean;
  equipped: boolean;
}

/** The answer to an unlock. */
export interface UnlockResult {
  skinId: string;
  /** False when the skin was already owned (nothing spent). */
  spent: boolean;
  balance: number;
}

/** The answer to an admin adjustment. */
export interface AdjustResult {
  userId: number;
  amount: number;
  balance: number;
  reference: string;
  replay: boolean;
}

/** Where the public card's best placements come from (the match records' player lines). */
export type BestPlacementsSource = (userId: number) => Promise<BestPlacement[]>;

/** Profile points: earning from matches and the daily bonus, spending on skins, and reading it all back. */
export interface ProgressionService {
  /** Credits each account of a match record its points, once per match id; answers decimal user id → points (a replay answers what was credited the first time). */
  creditMatch(record: MatchRecordBody): Promise<Record<string, number>>;
  /** Grants today's login bonus unless already granted (exactly once per user and UTC day); null when not granted now. */
  grantDailyBonus(userId: number): Promise<DailyBonusGrant | null>;
  /** The account's own profile; 401-style SESSION_EXPIRED when the account is gone. */
  profile(userId: number): Promise<OwnProfile>;
  /** The public card of a username; NOT_FOUND for an unknown or banned account. */
  publicProfile(username: string): Promise<PublicProfile>;
  /** The catalogue; with owned/equipped for `userId` when given. */
  skins(userId?: number): Promise<SkinListing[]>;
  /** Unlocks a skin (SKIN_NOT_FOUND, INSUFFICIENT_POINTS with balance and price); idempotent when owned. */
  unlockSkin(userId: number, skinId: string): Promise<UnlockResult>;
  /** Equips an owned skin (SKIN_NOT_FOUND, SKIN_NOT_OWNED); answers the equipped id. */
  equipSkin(userId: number, skinId: string): Promise<string>;
  /** An admin's +/− adjustment with a note, once per reference (INSUFFICIENT_POINTS when it would go below 0). */
  adjustPoints(actorId: number, userId: number, amount: number, note: string, reference?: string): Promise<AdjustResult>;
  /** Resolves once every queued credit is committed. */
  drain(): Promise<void>;
}

export interface ProgressionServiceDeps {
  repo: PointsRepository;
  now: () => number;
  log: pino.Logger;
  rules: { match: MatchPointRules; dailyBonus: DailyBonusRules };
  batch: BatcherOptions;
  /** Best placements for the public card; absent = none recorded. */
  bestPlacements?: BestPlacementsSource;
}

const LEDGER_ROWS = 20;

export function createProgressionService(deps: ProgressionServiceDeps): ProgressionService {
  const { repo, now, rules } = deps;
  const batcher = new GroupCommitBatcher<Credit, CreditOutcome>((credits) => repo.creditBatch(credits, now()), deps.batch);
  // Accounts whose bonus for `bonusDay` is known to be granted: spares the database on every later refresh of the day.
  let bonusDay = "";
  const bonusDone = new Set<number>();
  const markBonusDone = (day: string, userId: number) => {
    if (day !== bonusDay) {
      bonusDay = day;
      bonusDone.clear();
    }
    bonusDone.add(userId);
  };

  async function account(userId: number): Promise<ProfileRow> {
    const row = await repo.profile(userId);
    if (!row) throw new AppError("SESSION_EXPIRED");
    return row;
  }

  function skinOrThrow(skinId: string): Skin {
    const skin = findSkin(skinId);
    if (!skin) throw new AppError("SKIN_NOT_FOUND");
    return skin;
  }

  return {
    async creditMatch(record) {
      const earned: Record<string, number> = {};
      const credits: Array<Promise<void>> = [];
      for (const player of record.players) {
        if (player.user_id === null || player.guest) continue;
        const userId = player.user_id;
        earned[userId] = 0;
        const amount = matchProfilePoints(record, player, rules.match);
        if (amount <= 0) continue;
        credits.push(
          batcher.submit({ userId: Number(userId), amount, reason: LedgerReason.Match, reference: record.match_id }).then((outcome) => {
            earned[userId] = outcome.kind === "no_account" ? 0 : outcome.amount;
          }),
        );
      }
      await Promise.all(credits);
      return earned;
    },

    async grantDailyBonus(userId) {
      const at = now();
      const today = utcDayKey(at);
      if (today === bonusDay && bonusDone.has(userId)) return null;
      const row = await repo.profile(userId);
      if (!row || row.status !== "active") return null;
      const due = dailyBonusDue({ streak: row.loginStreak, lastBonusDay: row.lastBonusDay }, at, rules.dailyBonus);
      if (!due || due.amount <= 0) {
        markBonusDone(today, userId);
        return null;
      }
      const granted = await repo.grantLoginBonus(userId, due.day, due.streak, due.amount, at);
      markBonusDone(due.day, userId);
      return granted ? { granted: due.amount, streak: due.streak, day: due.day } : null;
    },

    async profile(userId) {
      const row = await account(userId);
      const [owned, ledger] = await Promise.all([repo.ownedSkins(userId), repo.ledger(userId, LEDGER_ROWS)]);
      return {
        username: row.username,
        balance: row.balance,
        lifetimeEarned: row.lifetimeEarned,
        loginStreak: currentStreak({ streak: row.loginStreak, lastBonusDay: row.lastBonusDay }, now()),
        ownedSkins: [DEFAULT_SKIN_ID, ...owned.filter((id) => id !== DEFAULT_SKIN_ID)],
        equippedSkin: resolveSkinId(row.equippedSkin),
        ledger,
      };
    },

    async publicProfile(username) {
      const row = await repo.profileByUsername(username);
      if (!row || row.status !== "active") throw new AppError("NOT_FOUND", "No such player.");
      return {
        username: row.username,
        lifetimePoints: row.lifetimeEarned,
        equippedSkin: resolveSkinId(row.equippedSkin),
        bestPlacements: deps.bestPlacements ? await deps.bestPlacements(row.userId) : [],
      };
    },

    async skins(userId) {
      const row = userId === undefined ? null : await repo.profile(userId);
      const owned = new Set(row ? [DEFAULT_SKIN_ID, ...(await repo.ownedSkins(row.userId))] : []);
      const equipped = row ? resolveSkinId(row.equippedSkin) : undefined;
      return SKINS.map((skin) => ({ ...skin, owned: owned.has(skin.id), equipped: skin.id === equipped }));
    },

    async unlockSkin(userId, skinId) {
      const skin = skinOrThrow(skinId);
      if (skin.price === 0) return { skinId, spent: false, balance: (await account(userId)).balance };
      const outcome = await repo.unlockSkin(userId, skin.id, skin.price, now());
      switch (outcome.kind) {
        case "spent":
          return { skinId, spent: true, balance: outcome.balance };
        case "already_owned":
          return { skinId, spent: false, balance: outcome.balance };
        case "insufficient":
          throw new AppError("INSUFFICIENT_POINTS", `Unlocking ${skin.name} costs ${skin.price} points; the balance is ${outcome.balance}.`, undefined, {
            balance: outcome.balance,
            price: skin.price,
          });
        case "no_account":
          throw new AppError("SESSION_EXPIRED");
      }
    },

    async equipSkin(userId, skinId) {
      const skin = skinOrThrow(skinId);
      if (!(await repo.equipSkin(userId, skin.id, skin.price === 0))) {
        if (!(await repo.profile(userId))) throw new AppError("SESSION_EXPIRED");
        throw new AppError("SKIN_NOT_OWNED");
      }
      return skin.id;
    },

    async adjustPoints(actorId, userId, amount, note, reference = randomUUID()) {
      const outcome = await repo.adjust(userId, amount, reference, { actorId, note }, now());
      switch (outcome.kind) {
        case "adjusted":
        case "replay":
          return { userId, amount: outcome.amount, balance: outcome.balance, reference, replay: outcome.kind === "replay" };
        case "insufficient":
          throw new AppError("INSUFFICIENT_POINTS", `The balance is ${outcome.balance}; it cannot go below 0.`, undefined, { balance: outcome.balance, price: -amount });
        case "no_account":
          throw new AppError("NOT_FOUND", "No such user.");
      }
    },

    drain: () => batcher.drain(),
  };
}
