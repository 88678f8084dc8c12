import type { z } from "zod";
import type { LoginBody } from "../../../workers/schemas/users";
import { api, unwrap } from "./client";
import { session, type Session } from "./session";

export type LoginInput = z.input<typeof LoginBody>;

export async function login(input: LoginInput): Promise<Session> {
  const body = await unwrap(api.auth.login.$post({ json: input }));
  const next: Session = { token: body.token, expiresAt: body.expiresAt, user: body.user, tenant: body.tenant };
  session.start(next);
  return next;
}

/** Ends the session on the server (best effort) and here. */
export async function logout(): Promise<void> {
  try {
    await unwrap(api.auth.logout.$post());
  } catch {
    // The token may already be dead; signing out here is what matters.
  } finally {
    session.end("logout");
  }
}

/** A fresh token for the same session; sessions last 12 hours from sign-in at most. */
export async function refresh(): Promise<void> {
  const current = session.get();
  if (!current) return;
  const body = await unwrap(api.auth.refresh.$post());
  session.start({ token: body.token, expiresAt: body.expiresAt, user: body.user, tenant: body.tenant });
}
