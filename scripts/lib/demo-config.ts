import { and, eq, inArray } from "drizzle-orm";
import * as schema from "../../workers/db/schema";
import type { Executor } from "../../workers/db/executor";
import { newId } from "../../workers/lib/ids";

const AGENTS = [
  { name: "Retell – Sales", provider: "retell", serviceValue: "+12125550101" },
  { name: "Vapi – Sales", provider: "vapi", serviceValue: "+12125550102" },
  { name: "ElevenLabs – Sales", provider: "elevenlabs", serviceValue: "+12125550103" },
  { name: "Synthflow – Support", provider: "synthflow", serviceValue: "+12125550104" },
];
const SALES_GROUP = "Sales";
const TRUNK = "carrier-a";

/**
 * A small, realistic configuration so the demo routes calls out of the box. Adds only what is
 * missing (by name, pattern or prefix) and leaves what an operator changed alone; returns
 * whether it added anything.
 */
export async function seedDemoConfiguration(tx: Executor, tenantId: string): Promise<boolean> {
  let added = false;
  const agentIds = new Map(
    (
      await tx
        .select({ id: schema.voiceAgents.id, name: schema.voiceAgents.name })
        .from(schema.voiceAgents)
        .where(
          and(
            eq(schema.voiceAgents.tenantId, tenantId),
            inArray(
              schema.voiceAgents.name,
              AGENTS.map((a) => a.name),
            ),
          ),
        )
    ).map((row) => [row.name, row.id]),
  );
  const missingAgents = AGENTS.filter((agent) => !agentIds.has(agent.name)).map((agent) => ({ ...agent, id: newId("agt"), tenantId, tags: ["demo"] }));
  if (missingAgents.length) {
    await tx.insert(schema.voiceAgents).values(missingAgents);
    for (const agent of missingAgents) agentIds.set(agent.name, agent.id);
    added = true;
  }
  const agent = (index: number) => agentIds.get(AGENTS[index]!.name)!;

  const [group] = await tx
    .select({ id: schema.agentGroups.id })
    .from(schema.agentGroups)
    .where(and(eq(schema.agentGroups.tenantId, tenantId), eq(schema.agentGroups.name, SALES_GROUP)));
  const sales = group?.id ?? newId("grp");
  if (!group) {
    await tx.insert(schema.agentGroups).values({ id: sales, tenantId, name: SALES_GROUP, strategy: "round_robin", description: "Three sales agents in rotation" });
    added = true;
  }
  const [member] = await tx.select({ agentId: schema.agentGroupMembers.agentId }).from(schema.agentGroupMembers).where(eq(schema.agentGroupMembers.groupId, sales)).limit(1);
  if (!member) {
    await tx.insert(schema.agentGroupMembers).values([0, 1, 2].map((i) => ({ groupId: sales, agentId: agent(i), tenantId, position: i })));
    added = true;
  }

  const rules = [
    { name: "Sales line", pattern: "1800*", matchType: "prefix" as const, targetType: "group" as const, targetId: sales, fallback: { type: "hangup" as const } },
    { name: "Support line", pattern: "18885550100", matchType: "exact" as const, targetType: "agent" as const, targetId: agent(3) },
  ];
  const havePatterns = new Set(
    (
      await tx
        .select({ pattern: schema.inboundRoutingRules.pattern })
        .from(schema.inboundRoutingRules)
        .where(
          and(
            eq(schema.inboundRoutingRules.tenantId, tenantId),
            inArray(
              schema.inboundRoutingRules.pattern,
              rules.map((r) => r.pattern),
            ),
          ),
        )
    ).map((r) => r.pattern),
  );
  const missingRules = rules.filter((rule) => !havePatterns.has(rule.pattern)).map((rule) => ({ ...rule, id: newId("irl"), tenantId }));
  if (missingRules.length) {
    await tx.insert(schema.inboundRoutingRules).values(missingRules);
    added = true;
  }

  const [existingTrunk] = await tx
    .select({ id: schema.trunks.id })
    .from(schema.trunks)
    .where(and(eq(schema.trunks.tenantId, tenantId), eq(schema.trunks.name, TRUNK)));
  const trunk = existingTrunk?.id ?? newId("trk");
  if (!existingTrunk) {
    await tx.insert(schema.trunks).values({ id: trunk, tenantId, name: TRUNK, description: "Demo PSTN carrier" });
    added = true;
  }
  const [catchAll] = await tx
    .select({ id: schema.outboundRoutingRules.id })
    .from(schema.outboundRoutingRules)
    .where(and(eq(schema.outboundRoutingRules.tenantId, tenantId), eq(schema.outboundRoutingRules.destinationPrefix, "")))
    .limit(1);
  if (!catchAll) {
    await tx.insert(schema.outboundRoutingRules).values({ id: newId("orl"), tenantId, name: "Everything out carrier-a", destinationPrefix: "", trunkIds: [trunk] });
    added = true;
  }
  return added;
}
