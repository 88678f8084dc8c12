import type { ContentfulStatusCode } from "hono/utils/http-status";

/** An error the client can act on: its code, status and message reach the response envelope. */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export interface ErrorEnvelope {
  error: { code: string; message: string; requestId: string; details?: unknown };
}

export const notFound = (what: string) => new AppError(404, "NOT_FOUND", `${what} not found`);
export const forbidden = (message = "Your role does not allow this action") => new AppError(403, "FORBIDDEN", message);
export const conflict = (message: string, details?: unknown) => new AppError(409, "CONFLICT", message, details);
