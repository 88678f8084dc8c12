import { z } from "zod";
import { log } from "./lib/log";

/**
 * The bindings and variables wrangler.toml and `.dev.vars.example` declare, as `wrangler types`
 * generates them (worker-configuration.d.ts, checked by the tests), plus the optional settings
 * that neither declares. `loadConfig` checks the real values at start-up.
 */
export type Env = Cloudflare.Env & {
  /** Cloudonix's REST API (default https://api.cloudonix.io). */
  CLOUDONIX_API_URL?: string;
  /** Seconds after a call's last event before it re-sends its final record (default 60). */
  CALL_SETTLE_SECONDS?: string;
  /** Requests a minute each API key may make (default 600). */
  API_KEY_RATE_LIMIT?: string;
  /** Share (0-1) of webhook requests whose info log lines are kept in production (default 0.1). */
  WEBHOOK_LOG_SAMPLE_RATE?: string;
  /** Event deliveries: the first retry's delay (default 30 s; each next one doubles, up to 6 h). */
  EVENT_DELIVERY_BACKOFF_SECONDS?: string;
  /** Event deliveries: how long after its first attempt a delivery is retried (default 86400, a day). */
  EVENT_DELIVERY_RETRY_WINDOW_SECONDS?: string;
};

const hasMethods = (...names: string[]) =>
  z.custom<object>((value) => typeof value === "object" && value !== null && names.every((name) => typeof (value as Record<string, unknown>)[name] === "function"), { message: `binding missing (expected an object with ${names.join(", ")})` });

const base64Key32 = z.string().refine(
  (value) => {
    try {
      return atob(value).length === 32;
    } catch {
      return false;
    }
  },
  { message: "must be 32 random bytes, base64-encoded (openssl rand -base64 32)" },
);

const EnvSchema = z
  .object({
    ENVIRONMENT: z.enum(["development", "test", "production"], {
      message: 'must be "development", "test" or "production"',
    }),
    CALL_TIMEOUT_SECONDS: z.coerce.number().int().min(60).max(86_400),
    CALL_SETTLE_SECONDS: z.coerce.number().int().min(1).max(3_600).optional(),
    CLOUDONIX_API_URL: z.url({ message: "must be an http(s) URL" }).optional(),
    API_KEY_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).optional(),
    WEBHOOK_LOG_SAMPLE_RATE: z.coerce.number().min(0).max(1).optional(),
    ENCRYPTION_KEY: base64Key32,
    TOKEN_SIGNING_KEY: z.string().min(32, "must be at least 32 characters"),
    UPSTASH_REDIS_REST_URL: z.url({ message: "must be an http(s) URL" }).optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
    HYPERDRIVE: z.object({ host: z.string().min(1), port: z.number(), user: z.string(), database: z.string().min(1) }, { message: "binding missing (a Hyperdrive binding to MySQL)" }),
    GROUP_BALANCER: hasMethods("idFromName", "get"),
    CALL_SESSION: hasMethods("idFromName", "get"),
    TENANT_HUB: hasMethods("idFromName", "get"),
    PROVIDER_ACCOUNT: hasMethods("idFromName", "get"),
    CAMPAIGN_RUNNER: hasMethods("idFromName", "get"),
    CALL_EVENTS: hasMethods("send", "sendBatch"),
    EXPORT_JOBS: hasMethods("send", "sendBatch"),
    EVENT_DELIVERIES: hasMethods("send", "sendBatch"),
    EXPORTS: hasMethods("put", "get"),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.UPSTASH_REDIS_REST_URL) !== Boolean(env.UPSTASH_REDIS_REST_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: [env.UPSTASH_REDIS_REST_URL ? "UPSTASH_REDIS_REST_TOKEN" : "UPSTASH_REDIS_REST_URL"],
        message: "set both UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN, or neither",
      });
    }
  });

export interface AppConfig {
  environment: "development" | "test" | "production";
  callTimeoutSeconds: number;
  upstash: { url: string; token: string } | null;
  /** Requests a minute per API key (API_KEY_RATE_LIMIT). */
  apiKeyRatePerMinute: number;
  /** Share of webhook requests whose info lines are logged in production (WEBHOOK_LOG_SAMPLE_RATE). */
  webhookLogSampleRate: number | undefined;
}

/** Requests a minute each API key may make unless API_KEY_RATE_LIMIT says otherwise. */
export const DEFAULT_API_KEY_RATE_LIMIT = 600;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid Worker configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

export const UPSTASH_ABSENT = "Upstash not configured: routing snapshots from MySQL, rate limits in memory";

const validated = new WeakMap<object, AppConfig>();

/**
 * Checks every binding and secret once per env object (once per isolate in production) and
 * throws one ConfigError naming each missing or malformed item.
 */
export function loadConfig(env: Env): AppConfig {
  const cached = validated.get(env);
  if (cached) return cached;
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join(".") || "env"}: ${issue.message}`));
  }
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = result.data;
  const config: AppConfig = {
    environment: result.data.ENVIRONMENT,
    callTimeoutSeconds: result.data.CALL_TIMEOUT_SECONDS,
    upstash: url && token ? { url, token } : null,
    apiKeyRatePerMinute: result.data.API_KEY_RATE_LIMIT ?? DEFAULT_API_KEY_RATE_LIMIT,
    webhookLogSampleRate: result.data.WEBHOOK_LOG_SAMPLE_RATE,
  };
  if (!config.upstash) log.warn("config.upstash_absent", { message: UPSTASH_ABSENT });
  validated.set(env, config);
  return config;
}
