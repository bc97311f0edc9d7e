-- CreateTable
CREATE TABLE "matches" (
    "match_id" UUID NOT NULL,
    "room_code" VARCHAR(16) NOT NULL,
    "mode" VARCHAR(16) NOT NULL,
    "round" INTEGER NOT NULL,
    "solo" BOOLEAN NOT NULL,
    "outcome" VARCHAR(16) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "matches_pkey" PRIMARY KEY ("match_id")
);

-- CreateTable
CREATE TABLE "match_players" (
    "match_id" UUID NOT NULL,
    "seat" INTEGER NOT NULL,
    "user_id" INTEGER,
    "nick" VARCHAR(64) NOT NULL,
    "guest" BOOLEAN NOT NULL,
    "score" BIGINT NOT NULL,
    "placement" INTEGER NOT NULL,
    "flagged" BOOLEAN NOT NULL,
    "finished" BOOLEAN NOT NULL,
    "result_saved" BOOLEAN NOT NULL,
    "result_id" UUID,
    "points_earned" INTEGER NOT NULL DEFAULT 0,
    "ended_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "match_players_pkey" PRIMARY KEY ("match_id","seat")
);
CREATE INDEX "match_players_user_id_ended_at_match_id_idx" ON "match_players"("user_id", "ended_at" DESC, "match_id" DESC);

-- CreateTable
CREATE TABLE "chat_messages" (
    "message_id" UUID NOT NULL,
    "room_code" VARCHAR(16) NOT NULL,
    "sender_user_id" INTEGER,
    "sender_nick" VARCHAR(64) NOT NULL,
    "guest" BOOLEAN NOT NULL,
    "text" VARCHAR(200) NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,
    "stored_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "chat_messages_pkey" PRIMARY KEY ("message_id")
);
CREATE INDEX "chat_messages_room_code_sent_at_idx" ON "chat_messages"("room_code", "sent_at");
CREATE INDEX "chat_messages_sent_at_idx" ON "chat_messages"("sent_at");

-- AddForeignKey
ALTER TABLE "match_players" ADD CONSTRAINT "match_players_match_id_fkey" FOREIGN KEY ("match_id") REFERENCES "matches"("match_id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "match_players" ADD CONSTRAINT "match_players_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
