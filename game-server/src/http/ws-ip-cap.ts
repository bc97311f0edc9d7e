import type { IncomingMessage } from "node:http";
import { clientIp } from "@arena/shared/http/client-ip";

/** ws's `verifyClient` (two-argument form). */
type VerifyClient = (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => void;

/**
 * At most `limit` open WebSockets per client IP (the socket address, or the X-Forwarded-For hop
 * `trustProxy` selects): the upgrade beyond it is answered 429 before any room sees it, so one
 * address cannot hold every socket of the process. A slot is taken at the handshake and given back
 * when the socket closes, whatever happens in between.
 */
export function wsConnectionsPerIp(limit: number, trustProxy: number): { verifyClient: VerifyClient; open(ip: string): number } {
  const open = new Map<string, number>();
  const verifyClient: VerifyClient = ({ req }, done) => {
    const ip = clientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustProxy);
    const count = open.get(ip) ?? 0;
    if (count >= limit) return done(false, 429, "Too many connections from this address");
    open.set(ip, count + 1);
    req.socket.once("close", () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left > 0) open.set(ip, left);
      else open.delete(ip);
    });
    done(true);
  };
  return { verifyClient, open: (ip) => open.get(ip) ?? 0 };
}
