import type { Context } from "hono";
import { AppError } from "./errors";

/**
 * Optimistic concurrency: the version the client last saw, from the body's `version` or an
 * `If-Match` header ("3", W/"3" or 3, as our ETag is sent). undefined = the client did not
 * ask for a check.
 */
export function expectedVersion(c: Context, bodyVersion?: number): number | undefined {
  const header = c.req.header("if-match")?.trim();
  let fromHeader: number | undefined;
  if (header) {
    const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header);
    if (!match) throw new AppError(400, "INVALID_IF_MATCH", 'If-Match must be the version from the ETag, e.g. If-Match: "3"');
    fromHeader = Number(match[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw new AppError(400, "VERSION_MISMATCH", `If-Match (${fromHeader}) and the body's version (${bodyVersion}) disagree; send one of them`);
  }
  return bodyVersion ?? fromHeader;
}

/** 409 when someone saved the entity after the client read it. */
export function assertVersion(what: string, expected: number | undefined, current: number): void {
  if (expected !== undefined && expected !== current) {
    throw new AppError(409, "VERSION_CONFLICT", `The ${what} was changed by someone else (you edited version ${expected}, it is now version ${current}); reload it and apply your change again`, { expectedVersion: expected, currentVersion: current });
  }
}

export const etag = (version: number) => `"${version}"`;
