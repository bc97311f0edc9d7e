import type { Board, GameMode, Period } from "@arena/shared/protocol";

/** Player-facing names of the modes, boards and periods. */
export const MODE_LABEL: Record<GameMode, string> = {
  classic: "Classic",
  shaky: "Shaky",
  steps: "Steps",
};

export const MODE_HELP: Record<GameMode, string> = {
  classic: "Hit as many dots as you can before the time runs out.",
  shaky: "Like classic, but the dot shakes. Hit it anyway!",
  steps: "Hit every dot in order. Your score is the time you take: faster is better.",
};

export const BOARD_LABEL: Record<Board, string> = {
  general: "General",
  classic: "Classic",
  shaky: "Shaky",
  steps: "Steps (fastest)",
};

export const PERIOD_LABEL: Record<Period, string> = {
  all: "All time",
  daily: "Today",
  weekly: "This week",
};
