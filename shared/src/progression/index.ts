export * from "./match-points.ts";
export * from "./login-streak.ts";
export * from "./skins.ts";
