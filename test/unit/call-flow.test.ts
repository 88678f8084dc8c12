import { describe, it } from "vitest";
import { dialOutcomeOf } from "../../workers/routing/dial-outcome";
import { advance, afterFailure, startCursor, type FlowCursor, type FlowPorts, type FlowResult } from "../../workers/routing/call-flow";
import { predictChain } from "../../workers/routing/predict";
import { packDetails, packMembers, type PlanAgent } from "../../workers/routing/packed-group";
import type { FailoverOutcome, GroupStage, RouteStage } from "../../workers/routing/plan-types";

/*
 * The call flow on its own, with in-memory ports that keep exact slot and blame accounts: every
 * outcome sequence of a three-stage plan (a group of two agents, a person to escalate to, the end).
 */

function agent(id: string, provider = "retell"): PlanAgent {
  return { id, name: `Agent ${id}`, provider, serviceValue: "+12125550100", username: null, passwordEnc: null };
}

function groupStage(id: string, agents: PlanAgent[], extra: Partial<GroupStage> = {}): GroupStage {
  const members = agents.map((a, i) => ({ agentId: a.id, position: i, priority: 0, weight: 1, capacity: null, enabled: true }));
  return {
    kind: "group",
    label: `group ${id}`,
    groupId: id,
    groupName: `Group ${id}`,
    balancer: id,
    group: { id, strategy: "priority", rollingWindowHours: 24, maxAttempts: agents.length, stickyTtlSeconds: null, members: packMembers(`k:${id}:${crypto.randomUUID()}`, members) },
    details: packDetails(agents),
    failoverOn: null,
    timeLimitSec: null,
    context: [],
    ruleName: "rule",
    ...extra,
  };
}

const threeStages = (failoverOn: FailoverOutcome[] | null = null): RouteStage[] => [
  groupStage("g1", [agent("a1"), agent("a2")], { failoverOn }),
  { kind: "person", label: "rule fallback: number +15550001111", target: { kind: "number", number: "+15550001111", trunk: "pstn" }, timeLimitSec: 300, context: [], ruleName: "rule" },
  { kind: "end", label: "clean hang-up", action: { type: "hangup" } },
];

/** Ports over exact accounts: which agent holds this call's slot, and every failure counted. */
function accountingPorts() {
  const held = new Map<string, string>();
  const failures: string[] = [];
  const ports: FlowPorts = {
    async pick(stage) {
      const ids = stage.group.members.ids.split("\n");
      held.set(stage.balancer, ids[0]!);
      return { chosen: ids[0]!, candidates: ids.slice(1), skipped: [], eligibleCount: ids.length, sticky: false };
    },
    async failover(stage, failedAgentId, candidates) {
      if (failedAgentId) {
        if (held.get(stage.balancer) !== failedAgentId) throw new Error(`failover of ${failedAgentId}, which holds no slot`);
        held.delete(stage.balancer);
        failures.push(failedAgentId);
      }
      if (held.has(stage.balancer)) throw new Error(`a second claim in ${stage.balancer} while ${held.get(stage.balancer)} holds one`);
      const [next, ...rest] = candidates;
      if (next) held.set(stage.balancer, next);
      return { chosen: next ?? null, skipped: [], remaining: rest };
    },
    async release(slot, result) {
      if (held.get(slot.balancer) !== slot.agentId) throw new Error(`release of ${slot.agentId}, which holds no slot`);
      held.delete(slot.balancer);
      if (result === "failure") failures.push(slot.agentId);
    },
    leaveLine: async () => {},
    now: () => 0,
  };
  return { ports, held, failures };
}

type Outcome = "answered" | FailoverOutcome;
const OUTCOMES: Outcome[] = ["answered", "busy", "no-answer", "failed", "canceled"];

/** Runs a call through the flow with these attempt outcomes; stops at an answer or the end. */
async function runCall(stages: RouteStage[], outcomes: Outcome[]) {
  const accounts = accountingPorts();
  const values = { caller: "+14155550100", called: "+18005550199" };
  let result: FlowResult = await advance(startCursor(), stages, 0, null, accounts.ports, values);
  const dialled: string[] = [];
  let cursor: FlowCursor = result.cursor;
  for (const outcome of outcomes) {
    cursor = result.cursor;
    if (result.step.type !== "dial") break;
    dialled.push(result.step.attempt.targetId);
    if (outcome === "answered") return { dialled, end: null, accounts, cursor };
    result = await afterFailure(cursor, stages, result.step.attempt, outcome, accounts.ports, values);
  }
  cursor = result.cursor;
  return { dialled, end: result.step.type === "end" ? result.step : null, accounts, cursor, pending: result.step.type === "dial" ? result.step.attempt : null };
}

function sequences(length: number): Outcome[][] {
  if (length === 0) return [[]];
  return sequences(length - 1).flatMap((s) => OUTCOMES.map((o) => [...s, o]));
}

describe("call flow: every outcome sequence of a three-stage plan", () => {
  it.for([null, ["no-answer", "failed"] as FailoverOutcome[]])("failover on %j", async (failoverOn, { expect }) => {
    let checked = 0;
    for (const outcomes of sequences(3)) {
      const stages = threeStages(failoverOn);
      const run = await runCall(stages, outcomes);
      // The targets come in plan order, each at most once.
      const order = ["a1", "a2", "+15550001111"];
      expect(run.dialled).toEqual(order.slice(0, run.dialled.length));
      const firstAnswer = outcomes.indexOf("answered");
      const firstEnding = outcomes.findIndex((o, i) => o !== "answered" && i < 2 && failoverOn !== null && !failoverOn.includes(o));
      if (firstAnswer >= 0 && (firstEnding < 0 || firstAnswer < firstEnding)) {
        // Answered: the answering agent (if any) still holds its slot, nobody else does.
        expect(run.dialled).toHaveLength(firstAnswer + 1);
        expect([...run.accounts.held.values()]).toEqual(firstAnswer < 2 ? [order[firstAnswer]] : []);
      } else if (firstEnding >= 0) {
        // An outcome the group does not fail over on ends the call, slot freed.
        expect(run.dialled).toHaveLength(firstEnding + 1);
        expect(run.end).toMatchObject({ reason: outcomes[firstEnding]!.replace("-", "_"), stage: { action: { type: "hangup" } } });
        expect(run.accounts.held.size).toBe(0);
      } else {
        // Every attempt failed: the person was the last resort, then the clean end.
        expect(run.dialled).toEqual(order);
        expect(run.end).toMatchObject({ stage: { label: "clean hang-up" } });
        expect(run.accounts.held.size).toBe(0);
      }
      // Blame: each agent attempt that failed for a reason other than the caller's cancel, once.
      const blamed = outcomes.slice(0, Math.min(run.dialled.length, 2)).flatMap((o, i) => (o !== "answered" && o !== "canceled" ? [order[i]!] : []));
      expect(run.accounts.failures).toEqual(blamed);
      checked++;
    }
    expect(checked).toBe(125);
  });

  it("skips a group with no eligible agent, frees nothing it did not claim, and ends cleanly", async ({ expect }) => {
    const accounts = accountingPorts();
    const empty = groupStage("g0", []);
    const result = await advance(
      startCursor(),
      [empty, { kind: "end", label: "tenant default", action: { type: "reject", reason: "busy" } }],
      0,
      null,
      { ...accounts.ports, pick: async () => ({ chosen: null, candidates: [], skipped: [], eligibleCount: 0, sticky: false }) },
      {},
    );
    expect(result.step).toMatchObject({ type: "end", stage: { label: "tenant default" } });
    expect(result.picks).toEqual([expect.objectContaining({ stage: "group g0", chosen: null })]);
  });

  it("renders each agent's context with the rule's and group's, the most specific winning", async ({ expect }) => {
    const a = { ...agent("a1", "websocket"), serviceValue: "wss://agent.example/s", context: [{ name: "X-Who", value: "agent {caller}" }] };
    const stage = groupStage("g1", [a], {
      context: [
        { name: "X-Who", value: "rule" },
        { name: "X-Rule", value: "{ruleName}/{groupName}" },
        { name: "X-Missing", value: "{diverted}" },
      ],
      timeLimitSec: 120,
    });
    const result = await advance(startCursor(), [stage], 0, null, accountingPorts().ports, { caller: "+1415" });
    expect(result.step).toMatchObject({
      type: "dial",
      attempt: {
        target: { kind: "stream", url: "wss://agent.example/s" },
        timeLimitSec: 120,
        context: [
          { name: "X-Who", value: "agent +1415" },
          { name: "X-Rule", value: "rule/Group g1" },
        ],
      },
    });
  });

  it("predicts the chain a call whose attempts all fail would dial", async ({ expect }) => {
    const chain = await predictChain(threeStages(), accountingPorts().ports, {});
    expect(chain.attempts.map((a) => a.targetId)).toEqual(["a1", "a2", "+15550001111"]);
    expect(chain.end.label).toBe("clean hang-up");
    const ending = await predictChain(threeStages(["failed"]), accountingPorts().ports, {}, "busy");
    expect(ending.attempts.map((a) => a.targetId)).toEqual(["a1"]);
  });
});

describe("dialOutcomeOf", () => {
  it.for([
    ["completed", false, "answered"],
    ["ANSWERED", false, "answered"],
    ["busy", false, "busy"],
    ["no-answer", false, "no-answer"],
    ["noanswer", false, "no-answer"],
    ["cancelled", false, "canceled"],
    // The action fires when the leg has ended: a live-sounding status is as good as unknown.
    ["in-progress", false, "failed"],
    ["ringing", false, "failed"],
    ["", false, "failed"],
    ["toString", false, "failed"],
    // A stream's action fires when it ends, the normal end of a talk.
    ["in-progress", true, "answered"],
    ["", true, "answered"],
    ["failed", true, "failed"],
    ["busy", true, "busy"],
  ] as const)("%j (stream: %j) → %s", ([status, streamed, outcome], { expect }) => {
    expect(dialOutcomeOf(status, streamed)).toBe(outcome);
  });
});
