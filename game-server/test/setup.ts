// Colyseus SDK reconnection reads the global WebSocket, absent on Node 20 (ENVIRONMENT.md).
import { WebSocket } from "ws";

globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;
