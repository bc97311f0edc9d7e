import pino from "pino";
import type { BackendConfig } from "./config.ts";

/**
 * The backend's structured logger. Credentials never reach the log: authorization
 * headers, cookies, passwords and tokens are redacted wherever they appear.
 */
export function createLogger(config: Pick<BackendConfig, "LOG_LEVEL">, destination?: pino.DestinationStream): pino.Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { service: "backend" },
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          'res.headers["set-cookie"]',
          "password",
          "refresh_token",
          "*.password",
          "*.refresh_token",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
