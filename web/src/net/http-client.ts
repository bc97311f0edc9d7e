import { isErrorCode } from "@arena/shared/errors";
import { PlayerError } from "../error-text.ts";

export interface RequestOptions {
  method?: "GET" | "POST" | "DELETE";
  /** JSON body. */
  body?: unknown;
  /** Bearer token for `Authorization`. */
  token?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
}

/**
 * Fetches JSON. Any non-2xx answer, or a body with `success: false`, becomes a
 * {@link PlayerError} carrying the body's `error_code` (INTERNAL when the body has none).
 */
export async function requestJson<T>(url: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new PlayerError("SERVICE_UNAVAILABLE", `cannot reach ${new URL(url).host}`);
  }
  const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!res.ok || body?.success === false) {
    const code = isErrorCode(body?.error_code) ? body.error_code : res.status >= 500 ? "SERVICE_UNAVAILABLE" : "INTERNAL";
    const retry = typeof body?.retry_after === "number" ? body.retry_after : undefined;
    throw new PlayerError(code, typeof body?.message === "string" ? body.message : `HTTP ${res.status}`, retry, body ?? {});
  }
  return body as T;
}
