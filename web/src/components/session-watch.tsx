import { useEffect } from "react";
import { notifications } from "@mantine/notifications";
import { refresh } from "../api/auth";
import { session, useSession } from "../api/session";

const EARLY_MS = 2 * 60_000;

/**
 * Keeps the session alive while the tab is open: a fresh token shortly before this one
 * expires. When that fails (sessions end 12 hours after sign-in, or were revoked), the
 * session ends here too and the login page says why.
 */
export function SessionWatch() {
  const current = useSession();
  useEffect(() => {
    if (!current) return;
    const due = Date.parse(current.expiresAt) - Date.now();
    const timer = setTimeout(
      () => {
        refresh().catch(() => {
          notifications.show({ color: "yellow", message: "Your session has ended; sign in again" });
          session.end("expired");
        });
      },
      Math.max(1_000, due - EARLY_MS),
    );
    return () => clearTimeout(timer);
  }, [current]);
  return null;
}
