import type { Context } from "hono";
import type { z, ZodType } from "zod";
import { parseWith, readJson } from "./validation";

/** Like readJson, but an absent or empty body counts as `{}` (e.g. PATCH …/toggle). */
export async function readOptionalJson<T extends ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const text = await c.req.raw.clone().text();
  if (text.trim() === "") return parseWith(schema, {});
  return readJson(c, schema);
}
