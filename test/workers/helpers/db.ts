import { env } from "cloudflare:workers";
import { connectDb, type Db } from "../../../workers/db/client";

/** Runs `work` with a Drizzle connection to the test database (the same MariaDB the Worker uses). */
export async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const handle = await connectDb(env.HYPERDRIVE);
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

/** Polls until `check` returns a value (not undefined/null/false), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
