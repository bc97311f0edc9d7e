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
    },
  },
});
