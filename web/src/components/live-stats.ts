import { useMemo } from "react";
import { useRealtime } from "../realtime/provider";

/** Live calls per agent and per group, from the realtime registry. */
export function useLiveCounts() {
  const { calls } = useRealtime();
  return useMemo(() => {
    const byAgent = new Map<string, number>();
    const byGroup = new Map<string, number>();
    for (const call of calls.values()) {
      if (call.agentId) byAgent.set(call.agentId, (byAgent.get(call.agentId) ?? 0) + 1);
      if (call.groupId) byGroup.set(call.groupId, (byGroup.get(call.groupId) ?? 0) + 1);
    }
    return { byAgent, byGroup, total: calls.size };
  }, [calls]);
}

/** Health from an agent's live figures (shape owned by the balancer; read defensively). */
export function healthOf(live: Record<string, unknown> | null | undefined): "healthy" | "unhealthy" | "unknown" {
  if (!live) return "unknown";
  const flags: boolean[] = [];
  const visit = (value: unknown) => {
    if (!value || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    if (typeof record.healthy === "boolean") flags.push(record.healthy);
    for (const child of Object.values(record)) if (child && typeof child === "object") visit(child);
  };
  visit(live);
  if (flags.length === 0) return "unknown";
  return flags.every(Boolean) ? "healthy" : "unhealthy";
}
