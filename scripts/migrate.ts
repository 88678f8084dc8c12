// Applies the drizzle-kit migrations in migrations/ to a MySQL/MariaDB database.
// Idempotent: drizzle records applied migrations in __drizzle_migrations.
//   tsx scripts/migrate.ts [--database NAME]      (DATABASE_URL=mysql://… overrides)
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/mysql2";
import { migrate } from "drizzle-orm/mysql2/migrator";
import { connect, databaseUrl } from "./lib/db";

export async function applyMigrations(url: string): Promise<void> {
  const connection = await connect(url);
  try {
    await migrate(drizzle(connection), {
      migrationsFolder: fileURLToPath(new URL("../migrations", import.meta.url).href),
    });
  } finally {
    await connection.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const flag = process.argv.indexOf("--database");
  const url = databaseUrl(flag > 0 ? process.argv[flag + 1] : undefined);
  applyMigrations(url)
    .then(() => console.log(`[migrate] ${url.replace(/:[^:@/]*@/, ":***@")} is up to date`))
    .catch((err: Error) => {
      console.error(`[migrate] failed: ${err.message}`);
      process.exit(1);
    });
}
