import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { agentDialCxml, dialResultUrl, endCxml, trunkDialCxml } from "../../durable-objects/logic/call-cxml";
import { boundedCarrierHeaders } from "../domain/carrier-headers";
import { AppError } from "../lib/errors";
import { requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { planRoute, type DecisionTrace, type RouteStage } from "../routing/decide";
import { dialDetails } from "../routing/packed-group";
import { buildSnapshot } from "../routing/snapshot-builder";
import { ExplainBody, ExplainResponse, type ExplainDecision, type StageOutcome } from "../schemas/routing";

const route = apiRoutes("Routing");

export const routing = new Hono<AppEnv>().use(requireAuth).post("/explain", route("Explain the routing decision for a hypothetical call, changing no counter", { body: ExplainBody, response: ExplainResponse }), async (c) => {
  const body = c.req.valid("json");
  const auth = c.get("auth");
  // Explain reads the committed configuration itself, not a cached snapshot.
  const snapshot = await buildSnapshot(await c.get("services").db(), auth.tenantId);
  if (!snapshot) throw new AppError(404, "NOT_FOUND", "Tenant not found");
  const cloudonixDirection = body.direction === "auto" ? undefined : body.direction === "outbound" ? "outbound" : body.direction;
  if (body.direction === "inbound") snapshot.outboundCallerPatterns = [];
  // The same bounding as a real call's headers, so explain and the call decide alike.
  const plan = planRoute(snapshot, { from: body.from, to: body.to, cloudonixDirection, headers: boundedCarrierHeaders(body.headers) });

  const stages: StageOutcome[] = [];
  let decision: ExplainDecision | null = null;
  const baseUrl = new URL(c.req.url).origin;
  for (const stage of plan.stages) {
    if (decision) {
      stages.push(notReached(stage));
      continue;
    }
    const outcome = await explainStage(c.env, stage);
    stages.push(outcome);
    decision = decisionFor(stage, outcome, baseUrl);
  }
  const trace: DecisionTrace & { stages: StageOutcome[]; at: string } = { ...plan.trace, stages, at: body.time ?? new Date().toISOString() };
  return c.json({ decision: decision!, trace });
});

async function explainStage(env: AppEnv["Bindings"], stage: RouteStage): Promise<StageOutcome> {
  const base = { label: stage.label, kind: stage.kind, reached: true, skipped: [], eligibleCount: null };
  if (stage.kind === "end") return { ...base, chosen: null, candidates: [] };
  if (stage.kind === "trunks") {
    const [first, ...rest] = stage.trunks;
    return { ...base, chosen: first?.id ?? null, candidates: rest.map((t) => t.id) };
  }
  // A dry-run pick: the balancer computes the decision from its live counters and keeps nothing.
  const pick = await env.GROUP_BALANCER.getByName(stage.balancer).pick({ callKey: `explain:${crypto.randomUUID()}`, group: stage.group, dryRun: true });
  return { ...base, chosen: pick.chosen, candidates: pick.candidates, skipped: pick.skipped, eligibleCount: pick.eligibleCount };
}

function decisionFor(stage: RouteStage, outcome: StageOutcome, baseUrl: string): ExplainDecision | null {
  const actionUrl = dialResultUrl(baseUrl, 1);
  if (stage.kind === "end") {
    return { action: stage.action.type === "announcement" ? "announcement" : stage.action.type, agent: null, trunk: null, cxml: endCxml(stage.action) };
  }
  if (!outcome.chosen) return null;
  if (stage.kind === "trunks") {
    const trunk = stage.trunks.find((t) => t.id === outcome.chosen)!;
    return { action: "dial_trunk", agent: null, trunk: { id: trunk.id, name: trunk.name }, cxml: trunkDialCxml(stage, trunk, actionUrl) };
  }
  const agent = dialDetails(stage.group.members, stage.details, outcome.chosen);
  if (!agent) return null;
  return {
    action: "dial_agent",
    agent: { id: agent.id, name: agent.name, provider: agent.provider, serviceValue: agent.serviceValue },
    trunk: null,
    cxml: agentDialCxml(agent, undefined, actionUrl),
  };
}

function notReached(stage: RouteStage): StageOutcome {
  return { label: stage.label, kind: stage.kind, reached: false, chosen: null, candidates: [], skipped: [], eligibleCount: null };
}
