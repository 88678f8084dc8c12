import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { boundedCarrierHeaders } from "../domain/carrier-headers";
import { AppError } from "../lib/errors";
import { requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { dryRunPorts } from "../routing/predict";
import { planRoute } from "../routing/decide";
import { explainPlan } from "../routing/explain";
import { buildSnapshot } from "../routing/snapshot-builder";
import { ExplainBody, ExplainResponse, type ExplainDecision } from "../schemas/routing";

const route = apiRoutes("Routing");

export const routing = new Hono<AppEnv>().use(requireAuth).post("/explain", route("Explain the routing decision for a hypothetical call, changing no counter", { body: ExplainBody, response: ExplainResponse }), async (c) => {
  const body = c.req.valid("json");
  const auth = c.get("auth");
  // Explain reads the committed configuration itself, not a cached snapshot.
  const snapshot = await buildSnapshot(await c.get("services").db(), auth.tenantId);
  if (!snapshot) throw new AppError(404, "NOT_FOUND", "Tenant not found");
  const cloudonixDirection = body.direction === "auto" ? undefined : body.direction === "outbound" ? "outbound" : body.direction;
  if (body.direction === "inbound") snapshot.outboundCallerPatterns = [];
  const at = body.time ? Date.parse(body.time) : Date.now();
  // The same bounding as a real call's headers, so explain and the call decide alike.
  const headers = boundedCarrierHeaders(body.headers);
  const plan = planRoute(snapshot, { from: body.from, to: body.to, cloudonixDirection, headers, at });
  // A dry-run pick: the balancer computes the decision from its live counters and keeps nothing.
  const ports = dryRunPorts((stage, wait) => c.env.GROUP_BALANCER.getByName(stage.balancer).pick({ callKey: `explain:${crypto.randomUUID()}`, group: stage.group, caller: body.from, dryRun: true, wait }));
  const values = { caller: body.from, called: body.to, ruleId: plan.ruleId, callId: "(call id)", session: "(session)", headers };
  const explained = await explainPlan(plan, ports, values, new URL(c.req.url).origin);
  const first = explained.attempts[0];
  const waitFirst = explained.waits[0]?.beforeAttempt === 1 ? explained.waits[0] : undefined;
  const none = { agent: null, trunk: null, person: null, wait: null, context: [], timeLimitSec: null };
  const decision: ExplainDecision = waitFirst
    ? { ...none, action: "wait", wait: { position: waitFirst.position, maxWaitSec: waitFirst.maxWaitSec }, cxml: waitFirst.cxml }
    : first
      ? {
          action: first.kind === "agent" ? "dial_agent" : first.kind === "trunk" ? "dial_trunk" : "dial_person",
          agent: first.kind === "agent" ? { id: first.targetId, name: first.targetName, provider: first.provider ?? "", serviceValue: first.address, kind: first.via } : null,
          trunk: first.kind === "trunk" ? { id: first.targetId, name: first.targetName } : null,
          person: first.kind === "person" ? { target: first.targetId, via: first.via } : null,
          wait: null,
          context: first.context,
          timeLimitSec: first.timeLimitSec,
          cxml: first.cxml,
        }
      : { ...none, action: explained.end.action as ExplainDecision["action"], cxml: explained.end.cxml };
  return c.json({ decision, chain: { attempts: explained.attempts, waits: explained.waits, end: explained.end }, trace: { ...plan.trace, stages: explained.stages, at: new Date(at).toISOString() } });
});
