// Bare `ws` baseline for the scoreboard fan-out: every socket gets a greeting on connect; each
// POST /broadcast sends one constant frame of `frameBytes` bytes to every open socket.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";

export async function startWsBroadcaster(frameBytes: number): Promise<{ url: string; close(): Promise<void> }> {
  const frame = JSON.stringify({ type: "LEADERBOARD_UPDATE", data: { pad: "" } });
  const body = frame.replace('"pad":""', `"pad":"${"x".repeat(Math.max(0, frameBytes - frame.length))}"`);
  const server = http.createServer((req, res) => {
    if (req.method === "POST" && req.url === "/broadcast") {
      for (const ws of wss.clients) ws.send(body);
      res.end("{}");
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws) => ws.send('{"type":"SNAPSHOT"}'));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => (wss.clients.forEach((ws) => ws.terminate()), server.close(() => resolve()))),
  };
}
