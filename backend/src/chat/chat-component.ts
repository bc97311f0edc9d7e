import express from "express";
import type { BackendComponent, BackendContext } from "../backend-context.ts";
import { auditAuthFailures } from "../http/audit-auth-failures.ts";
import { requireService, serviceTokenLimits } from "../internal/service-auth.ts";
import { createChatRepository } from "./chat-repository.ts";
import { createChatRouter } from "./chat-routes.ts";
import { createChatService, type ChatService } from "./chat-service.ts";

/**
 * The rooms' chat audit trail: intake from the game server, the admin read, and the sweeper
 * that deletes lines older than CHAT_RETENTION every CHAT_SWEEP_INTERVAL (on the context's clock).
 */
export function createChatComponent(ctx: BackendContext): BackendComponent & { chat: ChatService } {
  const { config, log } = ctx;
  const chat = createChatService({ chat: createChatRepository(ctx.db), audit: ctx.audit, now: ctx.now, retentionMs: config.CHAT_RETENTION * 1000 });
  const router = express.Router();
  router.use(createChatRouter({ chat, auth: ctx.auth, requireService: requireService(config.SERVICE_PUBLIC_KEY, ctx.now, serviceTokenLimits(config)) }));
  if (ctx.audit) router.use(auditAuthFailures(ctx.audit));

  let sweeping: Promise<unknown> = Promise.resolve();
  const sweepTimer = setInterval(() => {
    sweeping = chat.purgeExpired().then(
      (n) => n > 0 && log.info({ chat_messages: n }, "purged chat past retention"),
      (err: unknown) => log.warn({ err }, "chat purge failed"),
    );
  }, config.CHAT_SWEEP_INTERVAL * 1000);
  sweepTimer.unref();

  return {
    name: "chat",
    router,
    chat,
    async close() {
      clearInterval(sweepTimer);
      await sweeping;
    },
  };
}
