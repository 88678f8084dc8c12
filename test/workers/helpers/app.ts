import { env } from "cloudflare:workers";
import { createApp } from "../../../workers/app";
import type { Env } from "../../../workers/env";

/** The test env with some bindings replaced; Hyperdrive's fields are getters, so copy them. */
export function envWith(overrides: Partial<Record<keyof Env, unknown>>): Env {
  const hyperdrive = env.HYPERDRIVE;
  return {
    ...env,
    HYPERDRIVE: {
      host: hyperdrive.host,
      port: hyperdrive.port,
      user: hyperdrive.user,
      password: hyperdrive.password,
      database: hyperdrive.database,
      connectionString: hyperdrive.connectionString,
    },
    ...overrides,
  } as Env;
}

/** A fresh app (and so a fresh config cache) serving one request against a custom env. */
export function requestWithEnv(customEnv: Env, path: string, init?: RequestInit): Promise<Response> {
  return Promise.resolve(createApp().request(path, init, customEnv));
}
