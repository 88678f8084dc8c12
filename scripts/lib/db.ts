import { createConnection, type Connection } from "mysql2/promise";

/** The local database URL the scripts use; DATABASE_URL overrides it (e.g. for production). */
export function databaseUrl(database = process.env.DB_NAME ?? "cxlb"): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const user = process.env.DB_USER ?? "cxlb";
  const password = process.env.DB_PASSWORD ?? "cxlb-local-pw";
  return `mysql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:3306/${database}`;
}

export function connect(url = databaseUrl()): Promise<Connection> {
  return createConnection({ uri: url, multipleStatements: false, timezone: "Z" });
}
