// Bare Express + pg baseline for POST /api/scores: parse the JSON body, one transaction per
// request (the statement in score-sql.ts), answer the new total. The user is the bearer value.
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import pg from "pg";
import { BARE_SCORE_SQL } from "./score-sql.ts";

export async function startExpressPg(databaseUrl: string, periods: string[]): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const app = express();
  app.use(express.json());
  app.post("/api/scores", async (req, res) => {
    const userId = Number(req.get("authorization")?.slice("Bearer ".length));
    const { action_id, points } = req.body as { action_id: string; points: number };
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query(BARE_SCORE_SQL, [userId, points, periods, action_id]);
      await client.query("COMMIT");
      res.json({ score: Number(rows[0].new_score) });
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      res.status(500).json({ error: String(err) });
    } finally {
      client.release();
    }
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}
