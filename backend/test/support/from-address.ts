import http from "node:http";

/** An answer: status, parsed JSON body (or text), headers. */
export interface AddressedResponse {
  status: number;
  body: any;
  headers: http.IncomingHttpHeaders;
}

/**
 * An HTTP request sent from a chosen loopback address (127.0.0.2, 127.0.0.3, …) so one test
 * can act as several clients: with TRUST_PROXY off the server sees that address as the client IP.
 */
export function requestFrom(
  localAddress: string,
  url: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<AddressedResponse> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: options.method ?? (body ? "POST" : "GET"),
        localAddress,
        agent: false,
        headers: { ...(body ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } : {}), ...options.headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
