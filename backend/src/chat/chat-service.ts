import { AppError } from "@arena/shared";
import type { ChatBatchResponse, ChatMessageBody } from "@arena/shared/contracts/internal-api";
import type { AuditLog } from "../backend-context.ts";
import { AuditEventName } from "../audit/batched-audit-log.ts";
import { decodePageCursor, toPage, type Page } from "../http/page-cursor.ts";
import type { ChatRepository, ChatRow } from "./chat-repository.ts";

/** One chat line as an admin reads it. */
export interface ChatLine {
  message_id: string;
  room_code: string;
  /** The sender's account id; null for a guest. */
  sender_user_id: string | null;
  sender_nick: string;
  guest: boolean;
  text: string;
  /** When the room broadcast it. */
  sent_at: string;
  /** When the backend stored it. */
  stored_at: string;
}

/** The rooms' chat audit trail: intake from the game server, admin reads, retention. */
export interface ChatService {
  /** Stores a batch, each line once per message_id; VALIDATION_FAILED when a line's guest flag and sender_user_id disagree. */
  store(messages: ChatMessageBody[]): Promise<ChatBatchResponse>;
  /** One page of a room's chat, newest first, read by admin `adminId` (the read itself is audited). */
  readRoom(roomCode: string, limit: number, before: string | undefined, adminId: number): Promise<Page<ChatLine>>;
  /** Deletes every line sent more than the retention ago, in batches; returns how many went. */
  purgeExpired(): Promise<number>;
}

export interface ChatServiceDeps {
  chat: ChatRepository;
  audit?: AuditLog;
  /** Clock in epoch ms. */
  now: () => number;
  /** How long a line is kept after it was sent, ms. */
  retentionMs: number;
  /** Rows per DELETE of the purge. */
  purgeBatch?: number;
}

const toLine = (r: ChatRow): ChatLine => ({
  message_id: r.messageId,
  room_code: r.roomCode,
  sender_user_id: r.senderUserId === null ? null : String(r.senderUserId),
  sender_nick: r.senderNick,
  guest: r.guest,
  text: r.text,
  sent_at: r.sentAt.toISOString(),
  stored_at: r.storedAt.toISOString(),
});

export function createChatService(deps: ChatServiceDeps): ChatService {
  const purgeBatch = deps.purgeBatch ?? 1000;
  return {
    async store(messages) {
      const bad = messages.findIndex((m) => m.guest !== (m.sender_user_id === null));
      if (bad >= 0) throw new AppError("VALIDATION_FAILED", `messages.${bad}: a guest has no sender_user_id and an account has one.`);
      const stored = await deps.chat.insert(messages, new Date(deps.now()));
      return { success: true, stored, replayed: messages.length - stored };
    },

    async readRoom(roomCode, limit, before, adminId) {
      const rows = await deps.chat.listForRoom(roomCode, limit + 1, before === undefined ? undefined : decodePageCursor(before));
      const page = toPage(rows, limit, (r) => ({ at: r.sentAt, id: r.messageId }));
      void deps.audit?.record({ event: AuditEventName.AdminChatRead, userId: adminId, data: { room_code: roomCode, lines: page.items.length, before: before ?? null } });
      return { items: page.items.map(toLine), next_before: page.next_before };
    },

    async purgeExpired() {
      const cutoff = new Date(deps.now() - deps.retentionMs);
      let total = 0;
      for (;;) {
        const deleted = await deps.chat.deleteSentBefore(cutoff, purgeBatch);
        total += deleted;
        if (deleted < purgeBatch) return total;
      }
    },
  };
}
