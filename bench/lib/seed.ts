// Bench tenants in the dev database: N inbound rules (exact and prefix, all valid, none
// shadowing the one the bench dials) pointing at a round-robin group of M agents, and two
// trunks behind ten outbound destination prefixes for the subscriber (outbound) calls.
import { drizzle } from "drizzle-orm/mysql2";
import * as schema from "../../workers/db/schema";
import { createTenantWithAdmin } from "../../workers/db/repos/tenants";
import { newId } from "../../workers/lib/ids";
import { connect, databaseUrl } from "../../scripts/lib/db";

export interface BenchTenant {
  tenantId: string;
  domain: string;
  requestKey: string;
  /** A number matched by an exact rule in the middle of the rule set. */
  dialled: string;
  /** An outbound call: a registered endpoint dialling a destination behind the "44" prefix. */
  outbound: { from: string; to: string };
  agentNumbers: string[];
}

export async function seedBenchTenant(label: string, rules: number, agents: number): Promise<BenchTenant> {
  const connection = await connect(databaseUrl());
  const db = drizzle(connection, { schema, mode: "default" });
  try {
    const unique = `${label}-${Date.now().toString(36)}`;
    const domain = `${unique}.bench.local`;
    const tenant = await createTenantWithAdmin(db, { name: `Bench ${unique}`, cloudonixDomain: domain, adminEmail: `${unique}@bench.local`, adminPassword: "bench-password-123" });
    const agentRows = Array.from({ length: agents }, (_, i) => ({
      id: newId("agt"),
      tenantId: tenant.tenantId,
      name: `Agent ${i}`,
      provider: "retell",
      serviceValue: `+1646${String(i).padStart(7, "0")}`,
    }));
    for (let i = 0; i < agentRows.length; i += 1000) await db.insert(schema.voiceAgents).values(agentRows.slice(i, i + 1000));
    const groupId = newId("grp");
    await db.insert(schema.agentGroups).values({ id: groupId, tenantId: tenant.tenantId, name: "Bench group", strategy: "round_robin" });
    const members = agentRows.map((a, position) => ({ groupId, agentId: a.id, tenantId: tenant.tenantId, position }));
    for (let i = 0; i < members.length; i += 1000) await db.insert(schema.agentGroupMembers).values(members.slice(i, i + 1000));
    // Half exact numbers, half prefixes, spread over distinct country-like prefixes.
    const ruleRows = Array.from({ length: rules }, (_, i) => {
      const exact = i % 2 === 0;
      const digits = `${20 + (i % 70)}${String(i).padStart(6, "0")}`;
      return {
        id: newId("irl"),
        tenantId: tenant.tenantId,
        name: `Rule ${i}`,
        pattern: exact ? `${digits}99` : `${digits}*`,
        matchType: exact ? ("exact" as const) : ("prefix" as const),
        targetType: "group" as const,
        targetId: groupId,
      };
    });
    for (let i = 0; i < ruleRows.length; i += 1000) await db.insert(schema.inboundRoutingRules).values(ruleRows.slice(i, i + 1000));
    const trunkIds = [newId("trk"), newId("trk")];
    await db.insert(schema.trunks).values(trunkIds.map((id, i) => ({ id, tenantId: tenant.tenantId, name: `carrier-${i}` })));
    const prefixes = ["1", "33", "34", "39", "44", "49", "61", "81", "86", "91"];
    await db.insert(schema.outboundRoutingRules).values(prefixes.map((prefix, i) => ({ id: newId("orl"), tenantId: tenant.tenantId, name: `Via ${prefix}`, destinationPrefix: prefix, trunkIds: i % 2 ? trunkIds : [...trunkIds].reverse() })));
    const middle = ruleRows[Math.floor(rules / 2) - (Math.floor(rules / 2) % 2)]!;
    return { tenantId: tenant.tenantId, domain, requestKey: tenant.requestKey, dialled: `+${middle.pattern}`, outbound: { from: "1004", to: "+442071234567" }, agentNumbers: agentRows.map((a) => a.serviceValue) };
  } finally {
    await connection.end();
  }
}
