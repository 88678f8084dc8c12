import type { z } from "zod";
import { ApiError } from "../api/errors";

type Errors = Record<string, string>;

/**
 * A Mantine form validator from one of the API's zod schemas, so a form refuses exactly what
 * the API would. `toBody` turns form values into the request body (e.g. "" → undefined);
 * issues are reported on the body's paths, which forms keep equal to their field paths.
 */
export function zodValidate<V, S extends z.ZodType>(schema: S, toBody: (values: V) => unknown = (v) => v) {
  return (values: V): Errors => {
    const result = schema.safeParse(toBody(values));
    if (result.success) return {};
    const errors: Errors = {};
    for (const issue of result.error.issues) {
      const path = issue.path.join(".");
      errors[path || "root"] ??= issue.message;
    }
    return errors;
  };
}

/**
 * The errors without those of a list's items ("callerPatterns.1"): they name positions, so once
 * the list changes they are stale (re-validating the list only clears the list's own path).
 */
export function withoutItemErrors<E extends Record<string, unknown>>(errors: E, list: string): E {
  return Object.fromEntries(Object.entries(errors).filter(([path]) => !path.startsWith(`${list}.`))) as E;
}

/**
 * Puts a failed save's field problems next to the fields; returns the message for anything
 * that belongs to no field (shown in the form's alert).
 */
export function applyServerErrors(err: unknown, setErrors: (errors: Errors) => void, fields: string[]): string | null {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  const byField = err.fieldErrors();
  const known = Object.fromEntries(Object.entries(byField).filter(([path]) => fields.includes(path)));
  if (Object.keys(known).length > 0) setErrors(known);
  return Object.keys(known).length === Object.keys(byField).length && Object.keys(known).length > 0 ? null : err.message;
}

/** "" and whitespace become undefined; other text is trimmed. */
export const optionalText = (value: string) => (value.trim() === "" ? undefined : value.trim());
/** A number input's value: "" becomes undefined. */
export const optionalNumber = (value: number | string): number | undefined => (value === "" || value === undefined ? undefined : Number(value));
/** A number input's value where empty means "none": "" becomes null. */
export const nullableNumber = (value: number | string): number | null => (value === "" || value === undefined ? null : Number(value));

/** The first error at `path` or under it ("context", "context.2.name"), for an editor that shows a list's problems itself. */
export const errorUnder = (errors: Record<string, unknown>, path: string): string | undefined => {
  const found = Object.entries(errors).find(([key, value]) => value && (key === path || key.startsWith(`${path}.`)));
  return found ? String(found[1]) : undefined;
};

/** The errors without those at `path` or under it: once an editor's value changes they are stale. */
export function withoutErrorsUnder<E extends Record<string, unknown>>(errors: E, path: string): E {
  return Object.fromEntries(Object.entries(errors).filter(([key]) => key !== path && !key.startsWith(`${path}.`))) as E;
}
