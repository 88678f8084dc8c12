import { useEffect, useRef, useState } from "react";
import type { LiveCall } from "../../realtime/client";

function describe(started: LiveCall[], ended: LiveCall[]): string {
  if (started.length + ended.length > 2) {
    const counts = [started.length && `${started.length} calls started`, ended.length && `${ended.length} calls ended`].filter(Boolean);
    return `${counts.join(", ")}.`;
  }
  return [...started.map((c) => `Call from ${c.from} to ${c.to} started.`), ...ended.map((c) => `Call from ${c.from} to ${c.to} ended.`)].join(" ");
}

/**
 * Tells screen readers, politely, when a call starts or ends, and nothing else: the live table's
 * elapsed times change every second and must not be read out. Only changes that live events
 * made (`recent`) count, so the list a (re)connect brings is not announced as news.
 */
export function CallAnnouncer({ calls, recent }: { calls: Map<string, LiveCall>; recent: Set<string> }) {
  const previous = useRef(calls);
  const [message, setMessage] = useState("");
  useEffect(() => {
    const before = previous.current;
    previous.current = calls;
    const started = [...calls.values()].filter((c) => !before.has(c.callId) && recent.has(c.callId));
    const ended = [...before.values()].filter((c) => !calls.has(c.callId) && recent.has(c.callId));
    if (started.length || ended.length) setMessage(describe(started, ended));
  }, [calls, recent]);
  return (
    <div role="status" aria-live="polite" className="visually-hidden" data-testid="call-announcer">
      {message}
    </div>
  );
}
