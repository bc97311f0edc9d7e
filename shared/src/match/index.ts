export * from "./match-messages.ts";
export * from "./match-flow.ts";
export * from "./placements.ts";
