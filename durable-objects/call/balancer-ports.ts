import type { Env } from "../../workers/env";
import type { FlowPorts, Slot } from "../../workers/routing/call-flow";
import type { GroupStage } from "../../workers/routing/plan-types";
import type { CallJournal } from "./journal";
import type { CallData } from "./model";

/**
 * The call flow's ports carried out against the group balancers: each claims or frees this
 * call's slot and journals the health changes it caused. `claimed` is the last slot claimed, so
 * a request that fails after a claim can free it.
 */
export function balancerPorts(env: Env, call: CallData, journal: CallJournal, claimTtlMs: number): FlowPorts & { claimed: Slot | null } {
  const { callKey } = call.facts;
  const balancer = (name: string) => env.GROUP_BALANCER.getByName(name);
  const ports = {
    claimed: null as Slot | null,
    async pick(stage: GroupStage, wait?: { holdMs: number }) {
      const outcome = await balancer(stage.balancer).pick({ callKey, group: stage.group, caller: call.facts.from, claimTtlMs, wait });
      if (outcome.chosen) ports.claimed = { balancer: stage.balancer, agentId: outcome.chosen };
      return outcome;
    },
    async failover(stage: GroupStage, failedAgentId: string | null, candidates: string[]) {
      const result = await balancer(stage.balancer).failover({ callKey, failedAgentId, group: stage.group, candidates, claimTtlMs });
      journal.health(call, result.healthChanges);
      if (result.chosen) ports.claimed = { balancer: stage.balancer, agentId: result.chosen };
      return result;
    },
    async release(slot: Slot, result: "success" | "failure" | null) {
      const released = await balancer(slot.balancer).release(callKey, result ? { agentId: slot.agentId, result } : undefined);
      journal.health(call, [released.healthChange]);
    },
    async leaveLine(name: string) {
      await balancer(name).leaveLine(callKey);
    },
    now: Date.now,
  };
  return ports;
}
