-- AlterTable: the equipped skin travels in the identity JWT, so it sits with the other claims' sources.
ALTER TABLE "users" ADD COLUMN "equipped_skin" VARCHAR(32);

-- CreateTable: one profile per account that ever earned or spent points.
CREATE TABLE "profiles" (
    "user_id" INTEGER NOT NULL,
    "balance" BIGINT NOT NULL DEFAULT 0,
    "lifetime_earned" BIGINT NOT NULL DEFAULT 0,
    "login_streak" INTEGER NOT NULL DEFAULT 0,
    "last_bonus_day" DATE,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "profiles_pkey" PRIMARY KEY ("user_id"),
    CONSTRAINT "profiles_balance_check" CHECK ("balance" >= 0),
    CONSTRAINT "profiles_lifetime_earned_check" CHECK ("lifetime_earned" >= 0),
    CONSTRAINT "profiles_login_streak_check" CHECK ("login_streak" >= 0)
);

-- CreateTable: append-only; every balance change is one row, once per (user, reason, reference).
CREATE TABLE "points_ledger" (
    "id" BIGSERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "amount" INTEGER NOT NULL,
    "reason" VARCHAR(16) NOT NULL,
    "reference" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "points_ledger_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "points_ledger_amount_check" CHECK ("amount" <> 0),
    CONSTRAINT "points_ledger_reason_check" CHECK ("reason" IN ('match', 'login_bonus', 'skin_unlock', 'admin_adjust'))
);
CREATE UNIQUE INDEX "points_ledger_user_id_reason_reference_key" ON "points_ledger"("user_id", "reason", "reference");
CREATE INDEX "points_ledger_user_id_id_idx" ON "points_ledger"("user_id", "id" DESC);
CREATE INDEX "points_ledger_reason_reference_idx" ON "points_ledger"("reason", "reference");

-- CreateTable
CREATE TABLE "user_skins" (
    "user_id" INTEGER NOT NULL,
    "skin_id" VARCHAR(32) NOT NULL,
    "unlocked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "user_skins_pkey" PRIMARY KEY ("user_id", "skin_id")
);

-- AddForeignKey
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "points_ledger" ADD CONSTRAINT "points_ledger_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "user_skins" ADD CONSTRAINT "user_skins_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
