// A lean keep-alive HTTP call for the load generators (undici's fetch costs the generator more CPU
// than the server spends answering), shared by tickets-bench.ts and bench/ratios-clients.ts.
import { type Agent, request } from "node:http";

/** One request on `agent`; a body is sent as JSON. Resolves with the status and the text of the answer. */
export function keepAliveCall(agent: Agent, url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ agent, hostname, port, path, method, headers: body ? { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) } : headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
