import { errorFromResponse } from "./errors";
import { session } from "./session";

/**
 * Sends a file (or text) as CSV to `path` with the session's token (the typed client speaks JSON
 * only). A refusal throws the API's error, whose details list the invalid rows by line.
 */
export async function uploadCsv<T>(method: "PUT" | "POST", path: string, body: Blob | string): Promise<T> {
  const headers: Record<string, string> = { "Content-Type": "text/csv" };
  const token = session.get()?.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${window.location.origin}${path}`, { method, headers, body });
  if (!res.ok) throw await errorFromResponse(res);
  return (await res.json()) as T;
}
