import type { Context } from "hono";
import { z, type ZodError, type ZodType } from "zod";
import { AppError } from "./errors";
import { jsonNestsDeeperThan, wellFormedDeep } from "./storable";

/** No request body of the admin API nests anywhere near this deep. */
const MAX_BODY_DEPTH = 32;

export interface FieldProblem {
  path: string;
  message: string;
}

export function zodDetails(error: ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ path: issue.path.join(".") || "(root)", message: issue.message }));
}

export function parseWith<T extends ZodType>(schema: T, value: unknown, what = "request body"): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const details = zodDetails(result.error);
    const first = details[0];
    const summary = first ? `${first.path}: ${first.message}` : "invalid";
    throw new AppError(400, "VALIDATION_FAILED", `The ${what} is not valid (${summary})`, details);
  }
  return result.data;
}

/** Reads a JSON body with a specific error for each way it can be wrong. */
export async function readJson<T extends ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new AppError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON with Content-Type: application/json");
  }
  const text = await c.req.text();
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
  return parseWith(schema, wellFormedDeep(value));
}

export function readQuery<T extends ZodType>(c: Context, schema: T): z.output<T> {
  return parseWith(schema, c.req.query(), "query string");
}
