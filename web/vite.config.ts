import { defineConfig } from "vite";

/** Builds the page into web/dist (served by the backend at `/`). */
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: true,
    rolldownOptions: {
      treeshake: {
        // shared/ builds its zod schemas at module level (`z.string()…`); the page only
        // uses the plain functions beside them, so unused schema builders may be dropped.
        manualPureFunctions: ["z"],
      },
      output: {
        // The game-room SDK (loaded on entering a room) gets a name that says what it is.
        codeSplitting: { groups: [{ name: "colyseus-sdk", test: /node_modules[\\/](@colyseus|msgpackr|tslib|ws)[\\/]/ }] },
      },
    },
  },
});
