import type { Database } from "@arena/db";
import type { ChatMessageBody } from "@arena/shared/contracts/internal-api";

/** One stored chat line. */
export interface ChatRow {
  messageId: string;
  roomCode: string;
  senderUserId: number | null;
  senderNick: string;
  guest: boolean;
  text: string;
  sentAt: Date;
  storedAt: Date;
}

/** `chat_messages`: the rooms' chat audit trail. */
export interface ChatRepository {
  /** Stores the lines whose message_id is new (one statement; concurrent duplicates write once); returns how many were stored. */
  insert(messages: ChatMessageBody[], storedAt: Date): Promise<number>;
  /** Up to `limit` lines of a room, newest first (sent_at, then message_id), strictly older than `before`. */
  listForRoom(roomCode: string, limit: number, before?: { at: Date; id: string }): Promise<ChatRow[]>;
  /** Deletes up to `limit` lines sent before `before`; returns how many. */
  deleteSentBefore(before: Date, limit: number): Promise<number>;
}

interface ChatDbRow {
  message_id: string;
  room_code: string;
  sender_user_id: number | null;
  sender_nick: string;
  guest: boolean;
  text: string;
  sent_at: Date | string;
  stored_at: Date | string;
}

export function createChatRepository(db: Database): ChatRepository {
  return {
    async insert(messages, storedAt) {
      const rows = await db.sql.query(
        `INSERT INTO "chat_messages" ("message_id", "room_code", "sender_user_id", "sender_nick", "guest", "text", "sent_at", "stored_at")
         SELECT x.*, $8::timestamptz
           FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::boolean[], $6::text[], $7::timestamptz[]) AS x
         ON CONFLICT ("message_id") DO NOTHING
         RETURNING 1`,
        [
          messages.map((m) => m.message_id),
          messages.map((m) => m.room_code),
          messages.map((m) => (m.sender_user_id === null ? null : Number(m.sender_user_id))),
          messages.map((m) => m.sender_nick),
          messages.map((m) => m.guest),
          messages.map((m) => m.text),
          messages.map((m) => m.sent_at),
          storedAt.toISOString(),
        ],
      );
      return rows.length;
    },

    async listForRoom(roomCode, limit, before) {
      const rows = await db.sql.query<ChatDbRow>(
        `SELECT "message_id", "room_code", "sender_user_id", "sender_nick", "guest", "text", "sent_at", "stored_at"
           FROM "chat_messages"
          WHERE "room_code" = $1
            AND ($2::timestamptz IS NULL OR ("sent_at", "message_id") < ($2::timestamptz, $3::uuid))
          ORDER BY "sent_at" DESC, "message_id" DESC
          LIMIT $4`,
        [roomCode, before?.at.toISOString() ?? null, before?.id ?? null, limit],
      );
      return rows.map((r) => ({
        messageId: r.message_id,
        roomCode: r.room_code,
        senderUserId: r.sender_user_id,
        senderNick: r.sender_nick,
        guest: r.guest,
        text: r.text,
        sentAt: new Date(r.sent_at),
        storedAt: new Date(r.stored_at),
      }));
    },

    async deleteSentBefore(before, limit) {
      const rows = await db.sql.query(
        `DELETE FROM "chat_messages"
          WHERE "message_id" IN (SELECT "message_id" FROM "chat_messages" WHERE "sent_at" < $1 ORDER BY "sent_at" LIMIT $2)
          RETURNING 1`,
        [before.toISOString(), limit],
      );
      return rows.length;
    },
  };
}
