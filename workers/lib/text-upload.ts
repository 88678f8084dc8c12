import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { readBoundedText } from "./bounded-body";
import { AppError } from "./errors";

/** What a spreadsheet or a browser's file upload sends a CSV or plain-text file as. */
const TEXT_TYPES = ["text/csv", "text/plain", "application/csv", "application/octet-stream"];

/**
 * An uploaded list (CSV or plain text) as sent: 415 for another Content-Type, 413 past
 * `maxBytes`. `what` names the list in the messages ("contact list").
 */
export async function readTextUpload(c: Context<AppEnv>, maxBytes: number, what: string): Promise<string> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type && !TEXT_TYPES.includes(type)) throw new AppError(415, "UNSUPPORTED_MEDIA_TYPE", `Send the ${what} as CSV with Content-Type: text/csv`);
  return readBoundedText(c.req.raw, maxBytes, () => new AppError(413, "PAYLOAD_TOO_LARGE", `A ${what} is limited to ${maxBytes / 1024 / 1024} MB`));
}
