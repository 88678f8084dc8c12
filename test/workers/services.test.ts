import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "../../workers/db/client";
import { loadConfig } from "../../workers/env";
import { Services } from "../../workers/services";

/** Drizzle wraps the driver's error; the driver says the connection was ended. */
const closedConnection = { cause: expect.objectContaining({ message: expect.stringMatching(/closed state/) }) };

describe("per-request services", () => {
  it("closes a connection that background work opens after the response", async () => {
    const services = new Services(env, loadConfig(env));
    let late: Db | undefined;
    services.background(
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        late = await services.db();
        await late.execute(sql`SELECT 1`);
      })(),
    );
    await services.close();
    // close() waited for the background work, then ended the connection it opened.
    expect(late).toBeDefined();
    await expect(late!.execute(sql`SELECT 1`)).rejects.toMatchObject(closedConnection);
  });

  it("closes after background work that fails", async () => {
    const services = new Services(env, loadConfig(env));
    services.background(Promise.reject(new Error("refresh failed")));
    const db = await services.db();
    await services.close();
    await expect(db.execute(sql`SELECT 1`)).rejects.toMatchObject(closedConnection);
  });
});
