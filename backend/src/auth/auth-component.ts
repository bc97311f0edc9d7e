import express from "express";
import type { BackendComponent, BackendContext } from "../backend-context.ts";

/** POST /auth/*, GET /current_user. */
export function createAuthComponent(_ctx: BackendContext): BackendComponent {
  return { name: "auth", router: express.Router() };
}
