/** What the API answers on failure: `{ error: { code, message, requestId, details? } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** Field problems as `{ "target.id": "message" }`, from VALIDATION_FAILED details or `details.field`. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(this.details)) {
      for (const item of this.details as { path?: unknown; message?: unknown }[]) {
        if (typeof item?.path === "string" && typeof item.message === "string") out[item.path] ??= item.message;
      }
    } else if (this.details && typeof this.details === "object" && typeof (this.details as { field?: unknown }).field === "string") {
      out[(this.details as { field: string }).field] = this.message;
    }
    return out;
  }
}

export async function errorFromResponse(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: a proxy or the network said no
  }
  const error = (body as { error?: { code?: string; message?: string; requestId?: string; details?: unknown } } | null)?.error;
  if (error?.message) return new ApiError(res.status, error.code ?? "HTTP_ERROR", error.message, error.requestId ?? null, error.details);
  return new ApiError(res.status, "HTTP_ERROR", `The server answered ${res.status} ${res.statusText}`.trim());
}

/** A message for a toast or an alert, whatever was thrown. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError) return "The API cannot be reached; check your connection and try again";
  return err instanceof Error ? err.message : String(err);
}
