import { isDuplicateKey } from "../db/executor";
import { AppError } from "./errors";

/** Runs a write and turns a duplicate on `index` into a 409 that says which value is taken. */
export async function uniqueOr409<T>(write: () => Promise<T>, index: string, message: string, details?: unknown): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isDuplicateKey(err, index)) throw new AppError(409, "DUPLICATE", message, details);
    throw err;
  }
}
