import { HEALTHY, recordOutcome, type AgentHealth } from "../logic/health";
import type { HealthChange } from "./types";

/*
 * A group balancer's view of its agents' health (logic/health.ts), in memory for the picks and
 * in the `health` table; each outcome also counts in the agent's totals.
 */
export class HealthBook {
  readonly #sql: SqlStorage;
  #health = new Map<string, AgentHealth>();

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    for (const row of sql.exec<{ agent_id: string; consecutive_failures: number; unhealthy_until: number }>("SELECT * FROM health")) {
      this.#health.set(row.agent_id, { consecutiveFailures: row.consecutive_failures, unhealthyUntil: row.unhealthy_until });
    }
  }

  of(agentId: string): AgentHealth {
    return this.#health.get(agentId) ?? HEALTHY;
  }

  agents(): IterableIterator<string> {
    return this.#health.keys();
  }

  /** Counts a call's outcome for the agent; a change of health is returned (and told to the tenant). */
  record(agentId: string, result: "success" | "failure", now: number): HealthChange | null {
    const before = this.of(agentId);
    const { health, changed } = recordOutcome(before, result, now);
    this.#health.set(agentId, health);
    // A healthy agent's success changes nothing to store: most calls write no health row.
    if (health.consecutiveFailures !== before.consecutiveFailures || health.unhealthyUntil !== before.unhealthyUntil) {
      this.#sql.exec(
        "INSERT INTO health (agent_id, consecutive_failures, unhealthy_until) VALUES (?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET consecutive_failures = excluded.consecutive_failures, unhealthy_until = excluded.unhealthy_until",
        agentId,
        health.consecutiveFailures,
        health.unhealthyUntil,
      );
    }
    const column = result === "success" ? "successes" : "failures";
    this.#sql.exec(`INSERT INTO totals (agent_id, ${column}) VALUES (?, 1) ON CONFLICT (agent_id) DO UPDATE SET ${column} = ${column} + 1`, agentId);
    return changed ? { agentId, healthy: changed === "became_healthy" } : null;
  }
}
