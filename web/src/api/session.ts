import { useSyncExternalStore } from "react";

/** The signed-in user as POST /api/auth/login returns them. */
export interface Session {
  token: string;
  expiresAt: string;
  user: { id: string; email: string; name: string; role: "admin" | "user" };
  tenant: { id: string; name: string };
}

/** Why the last session ended; the login page says so (revoked sessions count as expired). */
export type EndReason = "logout" | "expired";

const KEY = "cxlb.session";
const listeners = new Set<() => void>();
const endListeners = new Set<() => void>();
let current: Session | null = read();
let lastEnd: EndReason | null = null;

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    const parsed = raw ? (JSON.parse(raw) as Session) : null;
    return parsed && typeof parsed.token === "string" && Date.parse(parsed.expiresAt) > Date.now() ? parsed : null;
  } catch {
    return null;
  }
}

function emit() {
  for (const listener of listeners) listener();
}

/** Before anyone re-renders: what the last user saw must be gone before the next one signs in. */
function ended() {
  for (const listener of endListeners) listener();
}

// Signing out (or in) in one tab counts in every tab.
if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (event.key !== KEY) return;
    const next = read();
    if (!next && current) lastEnd = "logout";
    const previous = current;
    current = next;
    // Signed out there, or signed in there as someone else: this tab's session ended too.
    if (previous && (!next || next.user.id !== previous.user.id || next.tenant.id !== previous.tenant.id)) ended();
    emit();
  });
}

export const session = {
  get: () => current,
  /** Why the previous session ended (null when nobody was signed in). */
  lastEnd: () => lastEnd,
  start(next: Session) {
    current = next;
    lastEnd = null;
    localStorage.setItem(KEY, JSON.stringify(next));
    emit();
  },
  end(reason: EndReason) {
    if (!current) return;
    current = null;
    lastEnd = reason;
    localStorage.removeItem(KEY);
    ended();
    emit();
  },
  /** Called whenever a session ends here: sign-out, expiry, revocation, or another tab. */
  onEnd(listener: () => void): () => void {
    endListeners.add(listener);
    return () => {
      endListeners.delete(listener);
    };
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useSession(): Session | null {
  return useSyncExternalStore(session.subscribe, session.get, session.get);
}

/** True when the signed-in user may change configuration (role admin). */
export function useCanWrite(): boolean {
  return useSession()?.user.role === "admin";
}
