// biome-ignore lint/suspicious/noTsIgnore: the Worker's type check has no Node types and the tests' and the SPA's have them, so an expect-error would fail one of them; nodejs_compat provides the module at run time.
// @ts-ignore
import { AsyncLocalStorage } from "node:async_hooks";
import { redact } from "./audit";

/*
 * Every log line of the Worker and its Durable Objects goes through here: one JSON object per
 * line with its level, an event name ("webhook.answered", "queue.batch_failed"), the time,
 * and the request id, tenant and call key of the work it belongs to, so Workers Logs (or any
 * log search) can filter by them. The request's context lives in an AsyncLocalStorage that
 * the request-id middleware opens, so code deep in a request (a snapshot refresh, a rate
 * limiter) logs with its request's ids without passing them around.
 *
 * No secret is ever logged: fields whose names say secret (password, token, key, …) are
 * redacted as in the audit log, and the whole line is scrubbed of our credential formats
 * (API keys, request keys, callback tokens, bearer tokens, JWTs) whatever field carries them.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface LogContext {
  requestId?: string;
  tenantId?: string | null;
  callKey?: string | null;
  /**
   * false: this request's debug and info lines are dropped (webhook logs are sampled in
   * production, see WEBHOOK_LOG_SAMPLE_RATE); warnings and errors are always written.
   */
  sampled?: boolean;
}

export type LogFields = Record<string, unknown>;

/** The part of Node's AsyncLocalStorage used here, typed without Node's types. */
interface ContextStorage<T> {
  run<R>(store: T, work: () => R): R;
  getStore(): T | undefined;
}

const storage: ContextStorage<LogContext> = new AsyncLocalStorage();

/** Runs `work` with its own log context (a request, a queue batch, a cron run). */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run(context, work);
}

/** Adds to the current context (e.g. the tenant once authenticated); nothing outside one. */
export function setLogContext(fields: Partial<LogContext>): void {
  const context = storage.getStore();
  if (context) Object.assign(context, fields);
}

export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}

const SCRUBBERS: [RegExp, string][] = [
  // Our own credentials: API keys, webhook request keys, callback tokens (also inside URLs).
  [/\b(cx(?:ak|rk|cb))_[A-Za-z0-9_-]{4,}/g, "$1_[redacted]"],
  // Any bearer credential, and JWTs (access tokens) wherever they appear.
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [redacted]"],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, "[redacted-jwt]"],
  // Realtime tickets and export download tokens travel as query parameters.
  [/([?&](?:ticket|token)=)[^&\s"]+/gi, "$1[redacted]"],
];

/** Removes every credential we know the shape of from a text. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SCRUBBERS) out = out.replace(pattern, replacement);
  return out;
}

function errorFields(err: unknown): unknown {
  if (err instanceof Error) return { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack.split("\n").slice(0, 8).join("\n") } : {}) };
  return typeof err === "string" ? { message: err } : err;
}

const SINKS: Record<LogLevel, (line: string) => void> = {
  debug: (line) => console.debug(line),
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

/** One line: the context's ids, then the fields (which may override them), as JSON. */
export function formatLine(level: LogLevel, event: string, fields: LogFields = {}, context = storage.getStore()): string {
  const { error, ...rest } = fields;
  const line: LogFields = {
    level,
    event,
    time: new Date().toISOString(),
    ...(context?.requestId ? { requestId: context.requestId } : {}),
    ...(context?.tenantId ? { tenantId: context.tenantId } : {}),
    ...(context?.callKey ? { callKey: context.callKey } : {}),
    ...(redact(rest) as LogFields),
    ...(error !== undefined ? { error: errorFields(error) } : {}),
  };
  let text: string;
  try {
    text = JSON.stringify(line);
  } catch {
    text = JSON.stringify({ level, event, time: line.time, note: "fields could not be serialised" });
  }
  return scrubSecrets(text);
}

function write(level: LogLevel, event: string, fields?: LogFields): void {
  const context = storage.getStore();
  if ((level === "debug" || level === "info") && context?.sampled === false) return;
  SINKS[level](formatLine(level, event, fields, context));
}

export const log = {
  debug: (event: string, fields?: LogFields) => write("debug", event, fields),
  info: (event: string, fields?: LogFields) => write("info", event, fields),
  warn: (event: string, fields?: LogFields) => write("warn", event, fields),
  error: (event: string, fields?: LogFields) => write("error", event, fields),
};

/** Whether a webhook request's info lines are kept: every one outside production, a share in it. */
export function sampleWebhook(environment: string, rate: number | undefined, random = Math.random): boolean {
  if (environment !== "production") return true;
  return random() < (rate ?? DEFAULT_PRODUCTION_WEBHOOK_SAMPLE_RATE);
}

/** Production keeps the info lines of one webhook request in ten unless WEBHOOK_LOG_SAMPLE_RATE says otherwise. */
export const DEFAULT_PRODUCTION_WEBHOOK_SAMPLE_RATE = 0.1;
