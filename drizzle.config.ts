import { defineConfig } from "drizzle-kit";

// Generate only (`npm run db:generate`); migrations are applied by scripts/migrate.ts (`npm run db:migrate`).
// `drizzle-kit push` is never used: it is broken against MariaDB (see README).
export default defineConfig({
  dialect: "mysql",
  schema: "./workers/db/schema.ts",
  out: "./migrations",
});
