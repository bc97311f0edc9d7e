import { randomUUID } from "node:crypto";
import type { ErrorCode } from "@arena/shared";
import type { ChatMessageBody } from "@arena/shared/contracts/internal-api";
import type { ChatMessagePayload } from "@arena/shared/match/match-messages";
import { admitChatLine, CHAT_HISTORY_LENGTH, normalizeChatText } from "@arena/shared/rules/chat";

/** Most lines in one audit batch (the contract's limit). */
const AUDIT_BATCH = 100;

/** Who speaks: a seat's public facts. */
export interface ChatSender {
  sub: string;
  sessionId: string;
  nick: string;
  guest: boolean;
}

export interface ChatLimits {
  maxPerWindow: number;
  windowMs: number;
}

export type ChatOutcome = { line: ChatMessagePayload } | { reject: ErrorCode; retryAfterMs?: number };

/**
 * One room's chat: the text rule and per-player rate window (shared/src/rules/chat.ts), the last
 * lines for joiners, and the lines not yet sent to the backend's audit trail.
 */
export class ChatLog {
  private readonly history: ChatMessagePayload[] = [];
  private readonly windows = new Map<string, number[]>();
  private unsent: ChatMessageBody[] = [];

  constructor(
    private readonly roomCode: string,
    private readonly limits: ChatLimits,
    private readonly newId: () => string = randomUUID,
  ) {}

  /** Judges and records one line; a refused line changes nothing but the sender's window. */
  post(sender: ChatSender, raw: string, nowMs: number): ChatOutcome {
    const text = normalizeChatText(raw);
    if (!text.ok) return { reject: "CHAT_INVALID" };
    const rate = admitChatLine(this.windows.get(sender.sub) ?? [], nowMs, this.limits.maxPerWindow, this.limits.windowMs);
    this.windows.set(sender.sub, rate.window);
    if (!rate.ok) return { reject: "CHAT_RATE_LIMITED", retryAfterMs: rate.retryAfterMs };
    const line: ChatMessagePayload = { id: this.newId(), sessionId: sender.sessionId, nick: sender.nick, guest: sender.guest, text: text.text, sentAt: nowMs };
    this.history.push(line);
    if (this.history.length > CHAT_HISTORY_LENGTH) this.history.shift();
    this.unsent.push({
      message_id: line.id,
      room_code: this.roomCode,
      sender_user_id: sender.guest ? null : sender.sub,
      sender_nick: sender.nick,
      guest: sender.guest,
      text: line.text,
      sent_at: new Date(nowMs).toISOString(),
    });
    return { line };
  }

  /** The last lines, oldest first. */
  recent(): ChatMessagePayload[] {
    return [...this.history];
  }

  /** Forgets a player's rate window (they left). */
  forget(sub: string): void {
    this.windows.delete(sub);
  }

  /** Takes the lines not yet handed to the audit trail, in batches the contract accepts. */
  takeUnsent(): ChatMessageBody[][] {
    const batches: ChatMessageBody[][] = [];
    for (let i = 0; i < this.unsent.length; i += AUDIT_BATCH) batches.push(this.unsent.slice(i, i + AUDIT_BATCH));
    this.unsent = [];
    return batches;
  }
}
