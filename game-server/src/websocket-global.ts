// Installs the global WebSocket that @colyseus/core's Room reads when a client reconnects
// (`client.readyState !== WebSocket.OPEN`). Node 22 has one; Node 20 does not, and there every
// reconnection fails ("WebSocket is not defined", the client leaves with 4003, seat and game
// lost). Every process that hosts a game server imports this module first, and so does the
// server module itself.
import { WebSocket } from "ws";

globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;
