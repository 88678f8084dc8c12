import { createConnection } from "mysql2/promise";
import { drizzle, type MySql2Database } from "drizzle-orm/mysql2";
import * as schema from "./schema";

export type Db = MySql2Database<typeof schema>;

export interface DbHandle {
  db: Db;
  close(): Promise<void>;
}

/**
 * One connection per request: Hyperdrive pools the real connections at the edge, so a
 * Worker-side pool would only hold sockets across requests that the runtime may not keep.
 */
export async function connectDb(hyperdrive: Pick<Hyperdrive, "host" | "port" | "user" | "password" | "database">): Promise<DbHandle> {
  const connection = await createConnection({
    host: hyperdrive.host,
    port: hyperdrive.port,
    user: hyperdrive.user,
    password: hyperdrive.password,
    database: hyperdrive.database,
    // Workers forbid eval/new Function, which mysql2 uses for its row parsers by default.
    disableEval: true,
    connectTimeout: 3_000,
    timezone: "Z",
    dateStrings: false,
  });
  // Swallow late socket errors (the server closing the link) instead of failing the isolate.
  (connection as unknown as { connection: { on(event: "error", listener: () => void): void } }).connection.on("error", () => {});
  return {
    db: drizzle(connection, { schema, mode: "default" }),
    close: () => connection.end().catch(() => {}),
  };
}
