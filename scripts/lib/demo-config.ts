import type { MySql2Database } from "drizzle-orm/mysql2";
import * as schema from "../../workers/db/schema";
import { newId } from "../../workers/lib/ids";

/** A small, realistic configuration so the demo routes calls out of the box. */
export async function seedDemoConfiguration(db: MySql2Database<typeof schema>, tenantId: string): Promise<void> {
  const agents = [
    { name: "Retell – Sales", provider: "retell", serviceValue: "+12125550101" },
    { name: "Vapi – Sales", provider: "vapi", serviceValue: "+12125550102" },
    { name: "ElevenLabs – Sales", provider: "elevenlabs", serviceValue: "+12125550103" },
    { name: "Synthflow – Support", provider: "synthflow", serviceValue: "+12125550104" },
  ].map((agent) => ({ ...agent, id: newId("agt"), tenantId, tags: ["demo"] }));
  await db.insert(schema.voiceAgents).values(agents);

  const salesGroup = newId("grp");
  await db.insert(schema.agentGroups).values({ id: salesGroup, tenantId, name: "Sales", strategy: "round_robin", description: "Three sales agents in rotation" });
  await db.insert(schema.agentGroupMembers).values(
    agents.slice(0, 3).map((agent, position) => ({ groupId: salesGroup, agentId: agent.id, tenantId, position })),
  );

  await db.insert(schema.inboundRoutingRules).values([
    { id: newId("irl"), tenantId, name: "Sales line", pattern: "1800*", matchType: "prefix", targetType: "group", targetId: salesGroup, fallback: { type: "hangup" } },
    { id: newId("irl"), tenantId, name: "Support line", pattern: "18885550100", matchType: "exact", targetType: "agent", targetId: agents[3]!.id },
  ]);

  const trunk = newId("trk");
  await db.insert(schema.trunks).values({ id: trunk, tenantId, name: "carrier-a", description: "Demo PSTN carrier" });
  await db.insert(schema.outboundRoutingRules).values({ id: newId("orl"), tenantId, name: "Everything out carrier-a", destinationPrefix: "", trunkIds: [trunk] });
}
