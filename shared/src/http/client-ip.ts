/**
 * The client IP of a request as Express computes it with `trust proxy` = `trustHops`: the socket
 * address when no proxy is trusted, else the address `trustHops` entries back along
 * X-Forwarded-For (the last hop that is not one of our own proxies). A client cannot spoof its IP
 * with a forged header unless a proxy is trusted, and then only beyond the proxies' own entries.
 */
export function clientIp(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trustHops: number): string {
  const socket = socketAddress ?? "unknown";
  if (trustHops <= 0 || !forwardedFor) return socket;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor;
  const hops = [socket, ...header.split(",").map((s) => s.trim()).filter(Boolean).reverse()];
  return hops[Math.min(trustHops, hops.length - 1)];
}
