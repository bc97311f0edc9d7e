import { z } from "zod";

/** Shapes the page knows how to draw a player's dot in. */
export const SkinShape = {
  Circle: "circle",
  Ring: "ring",
  Square: "square",
  Diamond: "diamond",
  Triangle: "triangle",
  Hexagon: "hexagon",
  Star: "star",
} as const;
export type SkinShape = (typeof SkinShape)[keyof typeof SkinShape];

/** How a skin looks: enough for a canvas or SVG to draw it. */
export interface SkinLook {
  shape: SkinShape;
  /** Fill colour, #rrggbb. */
  fill: string;
  /** Outline colour, #rrggbb. */
  stroke: string;
  /** Optional glow colour around the dot, #rrggbb. */
  glow?: string;
}

/** One skin of the catalogue. */
export interface Skin {
  /** Stable id: what the database and the identity JWT's `skin` claim hold. */
  id: string;
  /** Display name. */
  name: string;
  /** Profile points to unlock; 0 = owned by everyone. */
  price: number;
  look: SkinLook;
}

/** The skin every player (and every guest) has and wears until they equip another. */
export const DEFAULT_SKIN_ID = "classic-dot";

/** The catalogue, cheapest first. Ids are never reused: owned skins refer to them. */
export const SKINS: readonly Skin[] = [
  { id: DEFAULT_SKIN_ID, name: "Classic Dot", price: 0, look: { shape: "circle", fill: "#3b82f6", stroke: "#1e3a8a" } },
  { id: "mint-ring", name: "Mint Ring", price: 100, look: { shape: "ring", fill: "#a7f3d0", stroke: "#047857" } },
  { id: "sunny-square", name: "Sunny Square", price: 200, look: { shape: "square", fill: "#fde047", stroke: "#a16207" } },
  { id: "ruby-diamond", name: "Ruby Diamond", price: 350, look: { shape: "diamond", fill: "#e11d48", stroke: "#881337" } },
  { id: "forest-triangle", name: "Forest Triangle", price: 500, look: { shape: "triangle", fill: "#22c55e", stroke: "#14532d" } },
  { id: "hive-hexagon", name: "Hive Hexagon", price: 750, look: { shape: "hexagon", fill: "#f59e0b", stroke: "#78350f" } },
  { id: "neon-ring", name: "Neon Ring", price: 1_000, look: { shape: "ring", fill: "#0f172a", stroke: "#22d3ee", glow: "#67e8f9" } },
  { id: "plasma-orb", name: "Plasma Orb", price: 1_500, look: { shape: "circle", fill: "#a855f7", stroke: "#581c87", glow: "#d8b4fe" } },
  { id: "gold-star", name: "Gold Star", price: 2_500, look: { shape: "star", fill: "#facc15", stroke: "#854d0e", glow: "#fef08a" } },
  { id: "void-diamond", name: "Void Diamond", price: 5_000, look: { shape: "diamond", fill: "#000000", stroke: "#f8fafc", glow: "#6366f1" } },
];

const byId = new Map(SKINS.map((skin) => [skin.id, skin]));

/** The skin with that id, or undefined. */
export function findSkin(id: string): Skin | undefined {
  return byId.get(id);
}

/** A skin id that exists in the catalogue, else the default (an unknown or absent id shows as the default). */
export function resolveSkinId(id: string | null | undefined): string {
  return id && byId.has(id) ? id : DEFAULT_SKIN_ID;
}

/** A skin id as it may appear in a path or claim (not necessarily in the catalogue). */
export const skinIdSchema = z.string().regex(/^[a-z0-9-]{1,32}$/, "a skin id");
