// Bare Express baseline for GET /api/scoreboard: the same bytes, held in memory, on the same path.
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";

export async function startExpressConstant(body: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.get("/api/scoreboard", (_req, res) => {
    res.type("application/json").send(body);
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
