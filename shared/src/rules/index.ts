export * from "./game-settings.ts";
export * from "./seeded-random.ts";
export * from "./game-tokens.ts";
export * from "./mode-rules.ts";
export * from "./game-session.ts";
export * from "./accept-point.ts";
export * from "./validate-submission.ts";
export * from "./game-messages.ts";
