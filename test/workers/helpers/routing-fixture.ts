import * as schema from "../../../workers/db/schema";
import { createTenantWithAdmin } from "../../../workers/db/repos/tenants";
import { newId } from "../../../workers/lib/ids";
import { encryptSecret } from "../../../workers/lib/secrets";
import { env } from "cloudflare:workers";
import { withDb } from "./db";

export interface RoutingFixture {
  tenantId: string;
  adminEmail: string;
  adminPassword: string;
  domain: string;
  requestKey: string;
  /** The capability token of the tenant's callback URLs (callbackUrl builds them). */
  callbackToken: string;
  agents: { id: string; name: string; provider: string; serviceValue: string }[];
  groupId: string;
  ruleId: string;
}

export interface FixtureOptions {
  agentCount?: number;
  strategy?: (typeof schema.STRATEGIES)[number];
  maxAttempts?: number;
  capacity?: number | null;
  pattern?: string;
  fallback?: schema.FallbackTarget | null;
  agentPassword?: string;
}

/**
 * A tenant with `agentCount` agents in one group and a prefix rule "1800*" to it, written
 * straight into MySQL (what the configuration API would write).
 */
export async function createRoutingFixture(options: FixtureOptions = {}): Promise<RoutingFixture> {
  const unique = crypto.randomUUID().slice(0, 8);
  const domain = `t-${unique}.cloudonix.test`;
  return withDb(async (db) => {
    const tenant = await createTenantWithAdmin(db, {
      name: `Routing ${unique}`,
      cloudonixDomain: domain,
      adminEmail: `admin-${unique}@routing.test`,
      adminPassword: "routing-fixture-password",
      encryptionKey: env.ENCRYPTION_KEY,
    });
    const providers = ["retell", "vapi", "elevenlabs", "synthflow"];
    const password = options.agentPassword ? await encryptSecret(options.agentPassword, env.ENCRYPTION_KEY) : null;
    const agents = Array.from({ length: options.agentCount ?? 3 }, (_, i) => ({
      id: newId("agt"),
      tenantId: tenant.tenantId,
      name: `Agent ${i + 1}`,
      provider: providers[i % providers.length]!,
      serviceValue: `+1212555${String(1000 + i).padStart(4, "0")}`,
      username: password ? `user${i + 1}` : null,
      passwordEnc: password,
      maxConcurrentCalls: options.capacity ?? null,
    }));
    if (agents.length) await db.insert(schema.voiceAgents).values(agents);
    const groupId = newId("grp");
    await db.insert(schema.agentGroups).values({
      id: groupId,
      tenantId: tenant.tenantId,
      name: "Group",
      strategy: options.strategy ?? "round_robin",
      maxAttempts: options.maxAttempts ?? 3,
    });
    if (agents.length) {
      await db.insert(schema.agentGroupMembers).values(agents.map((a, position) => ({ groupId, agentId: a.id, tenantId: tenant.tenantId, position })));
    }
    const ruleId = newId("irl");
    await db.insert(schema.inboundRoutingRules).values({
      id: ruleId,
      tenantId: tenant.tenantId,
      name: "Sales",
      pattern: options.pattern ?? "1800*",
      matchType: (options.pattern ?? "1800*").endsWith("*") ? "prefix" : "exact",
      targetType: "group",
      targetId: groupId,
      fallback: options.fallback ?? null,
    });
    return { tenantId: tenant.tenantId, adminEmail: `admin-${unique}@routing.test`, adminPassword: "routing-fixture-password", domain, requestKey: tenant.requestKey, callbackToken: tenant.callbackToken!, agents, groupId, ruleId };
  });
}

let callCounter = 0;
export const newCallId = () => `${crypto.randomUUID().replace(/-/g, "")}`.slice(0, 28) + String(++callCounter).padStart(4, "0");

/** The body of the request Cloudonix sends to a voice application when a call arrives. */
export function voiceBody(fixture: Pick<RoutingFixture, "domain">, overrides: Record<string, unknown> = {}) {
  const session = newCallId();
  return {
    ApiVersion: "1",
    CallStatus: "in-progress",
    CallSid: session,
    Session: session,
    From: "14155550100",
    To: "18005550199",
    CallerName: "Alice",
    Direction: "inbound",
    Domain: fixture.domain,
    AccountSid: fixture.domain,
    ...overrides,
  };
}

export function webhookInit(fixture: Pick<RoutingFixture, "requestKey">, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${fixture.requestKey}`, ...headers },
    body: JSON.stringify(body),
  };
}

/** A lifecycle callback URL of the tenant ("session-update" or "cdr"), with its capability token. */
export const callbackUrl = (fixture: Pick<RoutingFixture, "callbackToken">, kind: "session-update" | "cdr", token = fixture.callbackToken) => `https://router.test/api/webhooks/c/${token}/${kind}`;

/** A lifecycle callback as Cloudonix may send it to a callback URL: no Authorization. */
export function callbackInit(body: unknown): RequestInit {
  return { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
}

export interface OutboundFixture {
  tenantId: string;
  domain: string;
  requestKey: string;
  trunks: Record<string, string>;
}

/**
 * Outbound configuration: trunks carrier-a/b/c (carrier-b presents +15550000000), a default rule
 * out carrier-a, a UK rule "44*" out carrier-b then carrier-c, a London rule "4420*" out
 * carrier-c limited to callers "1415*", and outbound caller-ID pattern "1212555*".
 */
export async function createOutboundFixture(): Promise<OutboundFixture> {
  const unique = crypto.randomUUID().slice(0, 8);
  const domain = `o-${unique}.cloudonix.test`;
  return withDb(async (db) => {
    const tenant = await createTenantWithAdmin(db, {
      name: `Outbound ${unique}`,
      cloudonixDomain: domain,
      adminEmail: `admin-${unique}@outbound.test`,
      adminPassword: "outbound-fixture-password",
    });
    const { eq } = await import("drizzle-orm");
    await db
      .update(schema.tenants)
      .set({ outboundCallerPatterns: ["1212555*"] })
      .where(eq(schema.tenants.id, tenant.tenantId));
    const trunks: Record<string, string> = {};
    for (const [name, callerIdOverride] of [
      ["carrier-a", null],
      ["carrier-b", "+15550000000"],
      ["carrier-c", null],
    ] as const) {
      trunks[name] = newId("trk");
      await db.insert(schema.trunks).values({ id: trunks[name]!, tenantId: tenant.tenantId, name, callerIdOverride });
    }
    await db.insert(schema.outboundRoutingRules).values([
      { id: newId("orl"), tenantId: tenant.tenantId, name: "default", destinationPrefix: "", trunkIds: [trunks["carrier-a"]!] },
      { id: newId("orl"), tenantId: tenant.tenantId, name: "uk", destinationPrefix: "44", trunkIds: [trunks["carrier-b"]!, trunks["carrier-c"]!] },
      { id: newId("orl"), tenantId: tenant.tenantId, name: "london-sf", destinationPrefix: "4420", callerPatterns: ["1415*"], trunkIds: [trunks["carrier-c"]!] },
    ]);
    return { tenantId: tenant.tenantId, domain, requestKey: tenant.requestKey, trunks };
  });
}
