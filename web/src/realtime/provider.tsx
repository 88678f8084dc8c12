import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { RealtimeClient, type ConnectionState, type LiveCall } from "./client";
import { createEventToasts, mantineToasts, showOrUpdate } from "./toasts";

interface RealtimeValue {
  state: ConnectionState;
  /** Live calls by call id, kept from the snapshot and call.* events. */
  calls: Map<string, LiveCall>;
  /** Call ids that changed in the last few seconds (for a highlight). */
  recent: Set<string>;
  client: RealtimeClient | null;
}

const RealtimeContext = createContext<RealtimeValue>({ state: "offline", calls: new Map(), recent: new Set(), client: null });

export const useRealtime = () => useContext(RealtimeContext);

const PROTOCOL = "cxlb.v1";

/** A single-use ticket for the upgrade: browsers cannot send headers on a WebSocket. */
async function authorize(): Promise<{ url: string; protocols?: string[] }> {
  const { ticket } = await unwrap(api.realtime.tickets.$post());
  const wsOrigin = window.location.origin.replace(/^http/, "ws");
  return { url: `${wsOrigin}/api/realtime?ticket=${encodeURIComponent(ticket)}`, protocols: [PROTOCOL] };
}

/**
 * Call records (and the analytics built from them) are written by the queue consumer, a second
 * or two after a call's live event: what they feed is refreshed once more when they have landed.
 */
const RECORDS_LAG_MS = 3_000;

/** Keys of cached queries that an event makes stale. */
function staleKeys(type: string): string[][] {
  if (type === "call.ended") return [["analytics"], ["call-records"]];
  if (type === "call.started") return [["analytics", "summary"]];
  if (type.startsWith("agent.")) return [["voice-agents"], ["agent-groups"]];
  if (type.startsWith("routing_rule.")) return [["inbound-rules"], ["outbound-rules"]];
  if (type.startsWith("schedule.")) return [["schedules"]];
  if (type.startsWith("provider_account.")) return [["provider-accounts"], ["voice-agents"]];
  if (type.startsWith("campaign.")) return [["campaigns"]];
  return [];
}

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<ConnectionState>("connecting");
  const [calls, setCalls] = useState<Map<string, LiveCall>>(() => new Map());
  const [recent, setRecent] = useState<Set<string>>(() => new Set());
  const clientRef = useRef<RealtimeClient | null>(null);

  useEffect(() => {
    const client = new RealtimeClient({ authorize });
    clientRef.current = client;
    const pending = new Set<string>();
    let flush: ReturnType<typeof setTimeout> | null = null;
    let lagging: ReturnType<typeof setTimeout> | null = null;
    const laggingKeys = new Set<string>();
    let wasOpen = false;
    const toast = createEventToasts(mantineToasts);
    // Invalidate at most twice a second however busy the tenant is.
    const invalidateSoon = (keys: string[][]) => {
      for (const key of keys) pending.add(JSON.stringify(key));
      flush ??= setTimeout(() => {
        flush = null;
        for (const key of pending) void queryClient.invalidateQueries({ queryKey: JSON.parse(key) as string[] });
        pending.clear();
      }, 500);
    };
    const invalidateWhenRecorded = (keys: string[][]) => {
      for (const key of keys) laggingKeys.add(JSON.stringify(key));
      lagging ??= setTimeout(() => {
        lagging = null;
        invalidateSoon([...laggingKeys].map((key) => JSON.parse(key) as string[]));
        laggingKeys.clear();
      }, RECORDS_LAG_MS);
    };
    const unsubscribe = client.subscribe({
      onState: (next) => {
        setState(next);
        if (next === "open" && wasOpen) showOrUpdate(mantineToasts, { id: "realtime", color: "teal", message: "Live updates reconnected" });
        if (next === "reconnecting" && wasOpen) showOrUpdate(mantineToasts, { id: "realtime", color: "yellow", message: "Live updates interrupted; reconnecting…" });
        if (next === "open") wasOpen = true;
      },
      onSnapshot: (list) => {
        setCalls(new Map(list.map((call) => [call.callId, call])));
        invalidateSoon([["analytics"]]);
      },
      onEvent: (event) => {
        const call = event.data as unknown as LiveCall;
        if (event.type.startsWith("call.") && typeof call?.callId === "string") {
          setCalls((prev) => {
            const next = new Map(prev);
            if (event.type === "call.ended") next.delete(call.callId);
            else next.set(call.callId, { ...prev.get(call.callId), ...call });
            return next;
          });
          setRecent((prev) => new Set(prev).add(call.callId));
          setTimeout(
            () =>
              setRecent((prev) => {
                const next = new Set(prev);
                next.delete(call.callId);
                return next;
              }),
            3000,
          );
        }
        toast(event);
        const stale = staleKeys(event.type);
        invalidateSoon(stale);
        if (event.type.startsWith("call.")) invalidateWhenRecorded(stale);
      },
    });
    client.start();
    return () => {
      unsubscribe();
      client.stop();
      if (flush) clearTimeout(flush);
      if (lagging) clearTimeout(lagging);
    };
  }, [queryClient]);

  const value = useMemo(() => ({ state, calls, recent, client: clientRef.current }), [state, calls, recent]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}
