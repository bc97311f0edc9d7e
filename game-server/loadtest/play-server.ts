// The game server under load for loadtest/play.ts, in its own process so the load generator
// does not share its event loop. Answers IPC { login: id } with an identity token of a live session.
import "../src/websocket-global.ts";
import { startTestServer } from "../test/test-server.ts";

const env = JSON.parse(process.env.PLAY_SERVER_ENV ?? "{}") as Record<string, string>;
const server = await startTestServer(env);
process.on("message", async (message: { login?: number; stop?: boolean }) => {
  if (message.stop) {
    await server.close();
    process.exit(0);
  }
  if (message.login !== undefined) {
    const me = await server.login();
    process.send!({ login: message.login, token: me.token, sub: me.sub });
  }
});
process.send!({ url: server.url });
