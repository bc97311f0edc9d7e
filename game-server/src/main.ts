// Standalone game-server process: `node --import tsx src/main.ts` (config from the environment).
import "./websocket-global.ts";
import { loadConfig } from "./config.ts";
import { startGameServer } from "./server.ts";

const config = loadConfig();
const running = await startGameServer(config);
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(1), 15_000);
    timer.unref();
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
