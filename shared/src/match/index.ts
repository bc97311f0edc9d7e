export * from "./match-messages.ts";
