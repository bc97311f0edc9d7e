import { defineConfig } from "prisma/config";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
// The Prisma CLI downloads its native schema engine for nearly every command; that
// download is impossible offline. `generate`, `validate` and `format` only need a file
// at this path, so point it at this config (see docs/architecture.md, "Prisma offline").
const offlineCommands = new Set(["generate", "validate", "format"]);
if (offlineCommands.has(process.argv[2] ?? "") && !process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = fileURLToPath(import.meta.url);
}

export default defineConfig({
  schema: path.join(here, "schema.prisma"),
  migrations: { path: path.join(here, "migrations") },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/unused" },
});
