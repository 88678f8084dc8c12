import { zValidator } from "@hono/zod-validator";
import type { Context, MiddlewareHandler } from "hono";
import type { z, ZodError, ZodType } from "zod";
import { AppError } from "./errors";
import { jsonNestsDeeperThan, wellFormedDeep } from "./storable";

/** No request body of the admin API nests anywhere near this deep. */
const MAX_BODY_DEPTH = 32;

/** Ours, and the media types Hono's validator parses as JSON (it would read any other as {}). */
const JSON_TYPE = /^application\/([a-z.+-]*\+)?json\b/i;
const HONO_JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

export interface FieldProblem {
  path: string;
  message: string;
}

export function zodDetails(error: ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ path: issue.path.join(".") || "(root)", message: issue.message }));
}

function validationFailed(error: ZodError, what: string): AppError {
  const details = zodDetails(error);
  const first = details[0];
  const summary = first ? `${first.path}: ${first.message}` : "invalid";
  return new AppError(400, "VALIDATION_FAILED", `The ${what} is not valid (${summary})`, details);
}

export function parseWith<T extends ZodType>(schema: T, value: unknown, what = "request body"): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(result.error, what);
  return result.data;
}

/** A validator hook that answers a failed parse with our error envelope instead of Hono's. */
const failWith =
  (what: string) =>
  (result: { success: true } | { success: false; error: z.core.$ZodError }): void => {
    if (!result.success) throw validationFailed(result.error as ZodError, what);
  };

/**
 * The body as a JSON value, with a specific error for each way it can be wrong. `optional`:
 * an absent or blank body counts as `{}` (e.g. PATCH …/toggle).
 */
async function readJsonValue(c: Context, optional: boolean): Promise<unknown> {
  const text = await c.req.text();
  if (optional && text.trim() === "") return {};
  const type = c.req.header("content-type") ?? "";
  if (!JSON_TYPE.test(type) || !HONO_JSON_MEDIA_TYPE.test(type.split(";")[0]!.trim())) {
    throw new AppError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON with Content-Type: application/json");
  }
  if (jsonNestsDeeperThan(text, MAX_BODY_DEPTH)) {
    throw new AppError(400, "JSON_TOO_DEEP", `The body nests objects or arrays deeper than ${MAX_BODY_DEPTH} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new AppError(400, "MALFORMED_JSON", `The body is not valid JSON: ${(err as Error).message}`);
  }
  // A lone surrogate in a name would make MySQL refuse the row: a 500 for a 400's mistake.
  return wellFormedDeep(value);
}

/**
 * Validates the JSON body with `schema` through Hono's validator (so `c.req.valid("json")` and
 * the typed client know its type). A schema that accepts undefined makes the body optional.
 */
export function jsonBody(schema: ZodType): MiddlewareHandler {
  const optional = schema.safeParse(undefined).success;
  const validate = zValidator("json", schema, failWith("request body"));
  return async (c, next) => {
    // Hono's validator parses the cached text (c.req.json()): it is checked here first, with
    // our errors, and replaced by the well-formed JSON the schema is to see.
    const value = await readJsonValue(c, optional);
    // (The cache holds promises, whatever its declared type says.)
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(JSON.stringify(value));
    return validate(c, next);
  };
}

/** A repeated key counts once, with its first value, as c.req.query() reads it. */
const firstValues = (query: Record<string, string | string[]>) => Object.fromEntries(Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));

/** Validates the query string with `schema` through Hono's validator (`c.req.valid("query")`). */
export function queryOf(schema: ZodType): MiddlewareHandler {
  return zValidator("query", schema, failWith("query string"), {
    validationFunction: (s, value) => s.safeParseAsync(firstValues(value)),
  });
}
