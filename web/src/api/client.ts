import { hc } from "hono/client";
import type { AppType } from "../../../workers/routes/api";
import { errorFromResponse } from "./errors";
import { session } from "./session";

/** Adds the session's bearer token; a 401 on a signed-in request ends the session. */
const authedFetch: typeof fetch = async (input, init) => {
  const headers = new Headers(init?.headers);
  const current = session.get();
  if (current && !headers.has("Authorization")) headers.set("Authorization", `Bearer ${current.token}`);
  const res = await fetch(input, { ...init, headers });
  if (res.status === 401 && current && session.get()?.token === current.token) session.end("expired");
  return res;
};

const origin = typeof window !== "undefined" ? window.location.origin : "http://localhost";

/** The typed API client: paths, params and responses come from the Worker's route types. */
export const api = hc<AppType>(origin, { fetch: authedFetch }).api;

interface JsonResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

type Body<R> = R extends { json(): Promise<infer T> } ? T : never;

/** The JSON of a successful response; an ApiError otherwise. 204 resolves to undefined. */
export async function unwrap<R extends JsonResponse>(pending: Promise<R>): Promise<Body<R>> {
  const res = await pending;
  if (!res.ok) throw await errorFromResponse(res as unknown as Response);
  if (res.status === 204) return undefined as Body<R>;
  return (await res.json()) as Body<R>;
}

/** Query parameters as strings, without the empty ones. */
export function query(params: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    out[key] = Array.isArray(value) ? value.join(",") : String(value);
  }
  return out;
}
