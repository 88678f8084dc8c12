import { describe, it } from "vitest";
import "../../workers/routes/api";
import { registeredRoutes } from "../../workers/openapi/registry";
import { callMessage, callRecordState, newTestCallId } from "./helpers/call-messages";
import { insertDelivery, insertLetter } from "./helpers/debugger-fixture";
import { withDb } from "./helpers/db";
import { eventDeliveries } from "../../workers/db/schema";
import { createTenantFixture, createWorld as createConfigWorld, type TenantFixture, type World as ConfigWorld } from "./helpers/fixtures";

/*
 * Every configuration endpoint, checked two ways: a read-only user gets 403 on every write,
 * and tenant A gets 404 for every id of tenant B. The route list comes from the OpenAPI
 * registry, so a new endpoint without a row here fails the coverage test.
 */

const PREFIXES = [
  "/api/users",
  "/api/tenant",
  "/api/voice-agents",
  "/api/agent-groups",
  "/api/inbound-rules",
  "/api/trunks",
  "/api/outbound-rules",
  "/api/audit-log",
  "/api/providers",
  "/api/webhook-deliveries",
  "/api/dead-letters",
  "/api/event-webhooks",
  "/api/alert-rules",
  "/api/alerts",
  "/api/provider-accounts",
  "/api/campaigns",
  "/api/do-not-call",
];
const mine = () => registeredRoutes().filter((r) => PREFIXES.some((p) => r.path === p || r.path.startsWith(`${p}/`)));

/** The configuration, plus a webhook delivery and a parked dead letter (the debugger's ids), an event webhook with one delivery, and an alert rule. */
type World = ConfigWorld & { delivery: string; deadLetter: string; eventWebhook: string; eventDelivery: string; alertRule: string; providerAccount: string; campaign: string };

async function createWorld(t: TenantFixture): Promise<World> {
  const world = await createConfigWorld(t);
  const message = callMessage(t.tenantId, newTestCallId(), 1, callRecordState({ startedAt: Date.now() }));
  const [delivery, deadLetter] = await Promise.all([insertDelivery(t.tenantId), insertLetter(t.tenantId, message)]);
  const eventWebhook = (await t.asAdmin("POST", "/api/event-webhooks", { url: "http://127.0.0.1:9/hook", eventTypes: ["call.ended"] })).body.id as string;
  const alertRule = (await t.asAdmin("POST", "/api/alert-rules", { name: "letters", kind: "dead_letters" })).body.id as string;
  // A failed delivery, so nothing sends it while the tests run.
  const eventDelivery = `evd_${crypto.randomUUID().replace(/-/g, "")}`;
  await withDb((db) => db.insert(eventDeliveries).values({ id: eventDelivery, tenantId: t.tenantId, endpointId: eventWebhook, eventId: "evt_matrix", eventType: "call.ended", payload: "{}", status: "failed" }));
  const providerAccount = (await t.asAdmin("POST", "/api/provider-accounts", { name: "matrix", maxConcurrentCalls: 5 })).body.id as string;
  const campaign = (await t.asAdmin("POST", "/api/campaigns", { name: "matrix", target: { type: "group", id: world.group.id }, callerId: "+14155550100" })).body.id as string;
  return { ...world, delivery: String(delivery), deadLetter: String(deadLetter), eventWebhook, eventDelivery, alertRule, providerAccount, campaign };
}

const ENTITY_OF: Record<string, keyof World> = {
  "/api/users": "user",
  "/api/voice-agents": "agent",
  "/api/agent-groups": "group",
  "/api/inbound-rules": "inboundRule",
  "/api/trunks": "trunk",
  "/api/outbound-rules": "outboundRule",
  "/api/webhook-deliveries": "delivery",
  "/api/dead-letters": "deadLetter",
  "/api/event-webhooks": "eventWebhook",
  "/api/alert-rules": "alertRule",
  "/api/provider-accounts": "providerAccount",
  "/api/campaigns": "campaign",
};

function idOf(world: World, path: string): string {
  const prefix = Object.keys(ENTITY_OF).find((p) => path.startsWith(`${p}/`))!;
  const entity = world[ENTITY_OF[prefix]!];
  return typeof entity === "string" ? entity : entity.id;
}

/** A body that passes validation, so the request gets as far as the id lookup. */
function validBody(key: string, world: World): unknown {
  const bodies: Record<string, unknown> = {
    "put /api/users/{id}": { name: "x" },
    "put /api/voice-agents/{id}": { weight: 2 },
    "patch /api/voice-agents/{id}/toggle": { enabled: false },
    "put /api/agent-groups/{id}": { maxAttempts: 2 },
    "put /api/agent-groups/{id}/members": { members: [{ agentId: world.agent.id }] },
    "put /api/inbound-rules/{id}": { priority: 1 },
    "put /api/trunks/{id}": { description: "x" },
    "put /api/outbound-rules/{id}": { priority: 1 },
    "post /api/users": { email: `x-${crypto.randomUUID()}@example.test`, password: "long-enough-password" },
    "post /api/voice-agents": { name: `x-${crypto.randomUUID()}`, provider: "vapi", serviceValue: "+12125550100" },
    "post /api/voice-agents/bulk": { action: "disable", ids: [world.agent.id] },
    "post /api/agent-groups": { name: `x-${crypto.randomUUID()}` },
    "post /api/inbound-rules": { pattern: "+1999*", target: { type: "agent", id: world.agent.id } },
    "post /api/trunks": { name: `x-${crypto.randomUUID().slice(0, 8)}` },
    "post /api/outbound-rules": { destinationPrefix: "33", trunkIds: [world.trunk.id] },
    "put /api/tenant": { retentionDays: 5 },
    "post /api/tenant/callback-token": { graceSeconds: 60 },
    // These take no body: an empty one passes.
    "post /api/tenant/cloudonix-domain-uuid": {},
    "post /api/dead-letters/replay": {},
    "post /api/dead-letters/{id}/replay": {},
    "post /api/dead-letters/{id}/discard": {},
    "post /api/event-webhooks": { url: "http://127.0.0.1:9/other", eventTypes: ["call.started"] },
    "put /api/event-webhooks/{id}": { description: "x" },
    "post /api/event-webhooks/{id}/rotate-secret": {},
    "post /api/event-webhooks/{id}/deliveries/{deliveryId}/resend": {},
    "post /api/alert-rules": { name: "x", kind: "dead_letters" },
    "put /api/alert-rules/{id}": { name: "y" },
    "post /api/provider-accounts": { name: `x-${crypto.randomUUID()}`, maxConcurrentCalls: 3 },
    "put /api/provider-accounts/{id}": { maxConcurrentCalls: 4 },
    "post /api/campaigns": { name: `x-${crypto.randomUUID()}`, target: { type: "group", id: world.group.id }, callerId: "+14155550100" },
    "put /api/campaigns/{id}": { maxConcurrent: 3 },
    "put /api/campaigns/{id}/contacts": "phone\n+14155550100",
    "post /api/campaigns/{id}/start": {},
    "post /api/campaigns/{id}/pause": {},
    "post /api/campaigns/{id}/resume": {},
    "post /api/campaigns/{id}/stop": {},
    "post /api/campaigns/{id}/clock": { offsetMs: 0 },
    "post /api/do-not-call": { numbers: ["+14155550100"] },
    "post /api/do-not-call/upload": "+14155550100",
  };
  return bodies[key];
}

const fill = (path: string, world: World) => (path.includes("{id}") ? path.replace("{id}", idOf(world, path)) : path).replace("{deliveryId}", world.eventDelivery);

describe("the access matrix", () => {
  it("covers every registered configuration route", ({ expect }) => {
    const routes = mine();
    expect(routes.length).toBeGreaterThanOrEqual(35);
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      if (route.method !== "get" && route.method !== "delete" && route.path !== "/api/tenant/request-key") {
        expect(validBody(key, { agent: {}, group: {}, inboundRule: {}, trunk: {}, outboundRule: {}, user: "", delivery: "", deadLetter: "", eventWebhook: "", eventDelivery: "", alertRule: "", providerAccount: "", campaign: "" } as never), key).toBeDefined();
      }
      expect(["bearer", "admin"], key).toContain(route.auth);
      if (route.method !== "get") expect(route.auth, `${key} must be documented as admin-only`).toBe("admin");
    }
  });

  it("refuses every write to a read-only user with 403 and changes nothing", async ({ expect }) => {
    const t = await createTenantFixture("rbac");
    const world = await createWorld(t);
    const auditBefore = (await t.asAdmin("GET", "/api/audit-log?limit=200")).body.items.length;
    for (const route of mine().filter((r) => r.method !== "get")) {
      const key = `${route.method} ${route.path}`;
      const res = await t.asViewer(route.method.toUpperCase(), fill(route.path, world), validBody(key, world));
      expect(res.status, key).toBe(403);
      expect(res.body.error.code, key).toBe("FORBIDDEN");
    }
    expect((await t.asAdmin("GET", "/api/audit-log?limit=200")).body.items.length).toBe(auditBefore);
    expect((await t.asAdmin("GET", `/api/voice-agents/${world.agent.id}`)).body).toEqual(world.agent);
  });

  it("lets a read-only user read every configuration endpoint", async ({ expect }) => {
    const t = await createTenantFixture("rbac");
    const world = await createWorld(t);
    for (const route of mine().filter((r) => r.method === "get")) {
      const res = await t.asViewer("GET", fill(route.path, world));
      expect(res.status, route.path).toBe(200);
    }
  });

  it("answers 404 to tenant A for every id of tenant B, and leaves B untouched", async ({ expect }) => {
    const [a, b] = await Promise.all([createTenantFixture("iso"), createTenantFixture("iso")]);
    const [worldA, worldB] = await Promise.all([createWorld(a), createWorld(b)]);
    const checked: string[] = [];
    for (const route of mine().filter((r) => r.path.includes("{id}"))) {
      const key = `${route.method} ${route.path}`;
      const res = await a.asAdmin(route.method.toUpperCase(), fill(route.path, worldB), validBody(key, worldA));
      expect(res.status, key).toBe(404);
      expect(res.body.error.code, key).toBe("NOT_FOUND");
      checked.push(key);
    }
    expect(checked.length).toBeGreaterThanOrEqual(20);
    await expectUntouched(expect, b, worldB);
  });

  it("answers 404 when a body names another tenant's agents, groups or trunks", async ({ expect }) => {
    const [a, b] = await Promise.all([createTenantFixture("iso"), createTenantFixture("iso")]);
    const [worldA, worldB] = await Promise.all([createWorld(a), createWorld(b)]);
    const attempts: [string, string, unknown][] = [
      ["POST", "/api/agent-groups", { name: "x", members: [{ agentId: worldB.agent.id }] }],
      ["PUT", `/api/agent-groups/${worldA.group.id}/members`, { members: [{ agentId: worldA.agent.id }, { agentId: worldB.agent.id }] }],
      ["POST", "/api/inbound-rules", { pattern: "+1999*", target: { type: "agent", id: worldB.agent.id } }],
      ["POST", "/api/inbound-rules", { pattern: "+1999*", target: { type: "group", id: worldB.group.id } }],
      ["POST", "/api/inbound-rules", { pattern: "+1999*", target: { type: "agent", id: worldA.agent.id }, fallback: { type: "group", id: worldB.group.id } }],
      ["PUT", `/api/inbound-rules/${worldA.inboundRule.id}`, { target: { type: "agent", id: worldB.agent.id } }],
      ["PUT", `/api/inbound-rules/${worldA.inboundRule.id}`, { fallback: { type: "agent", id: worldB.agent.id } }],
      ["POST", "/api/outbound-rules", { destinationPrefix: "33", trunkIds: [worldB.trunk.id] }],
      ["PUT", `/api/outbound-rules/${worldA.outboundRule.id}`, { trunkIds: [worldA.trunk.id, worldB.trunk.id] }],
      ["PUT", "/api/tenant", { defaultFallback: { type: "agent", id: worldB.agent.id } }],
      ["PUT", "/api/tenant", { defaultFallback: { type: "group", id: worldB.group.id } }],
      ["POST", "/api/voice-agents/bulk", { action: "delete", ids: [worldB.agent.id] }],
      ["POST", "/api/voice-agents/bulk", { action: "disable", ids: [worldA.agent.id, worldB.agent.id] }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await a.asAdmin(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(404);
    }
    // A's own data did not change either (all or nothing).
    expect((await a.asAdmin("GET", `/api/voice-agents/${worldA.agent.id}`)).body.enabled).toBe(true);
    expect((await a.asAdmin("GET", `/api/agent-groups/${worldA.group.id}`)).body.members.map((m: any) => m.agentId)).toEqual([worldA.agent.id]);
    await expectUntouched(expect, b, worldB);
  });

  it("never lists or filters into another tenant's data", async ({ expect }) => {
    const [a, b] = await Promise.all([createTenantFixture("iso"), createTenantFixture("iso")]);
    const [, worldB] = await Promise.all([createWorld(a), createWorld(b)]);
    const lists = ["/api/voice-agents", "/api/agent-groups", "/api/inbound-rules", "/api/trunks", "/api/outbound-rules", "/api/users", "/api/audit-log?limit=200"];
    const idsOfB = new Set([worldB.agent.id, worldB.group.id, worldB.inboundRule.id, worldB.trunk.id, worldB.outboundRule.id, worldB.user, b.admin.id]);
    for (const path of lists) {
      const res = await a.asAdmin("GET", path);
      expect(res.status, path).toBe(200);
      for (const item of res.body.items) expect(idsOfB.has(item.id) || idsOfB.has(item.entityId), path).toBe(false);
    }
    const filtered = [
      `/api/voice-agents?groupId=${worldB.group.id}`,
      `/api/agent-groups?agentId=${worldB.agent.id}`,
      `/api/inbound-rules?targetId=${worldB.group.id}`,
      `/api/outbound-rules?trunkId=${worldB.trunk.id}`,
      `/api/audit-log?entityId=${worldB.agent.id}`,
      `/api/audit-log?actor=${b.admin.email}`,
    ];
    for (const path of filtered) expect((await a.asAdmin("GET", path)).body.items, path).toEqual([]);
    expect((await a.asAdmin("GET", "/api/tenant")).body.id).toBe(a.tenantId);
  });
});

async function expectUntouched(expect: any, b: TenantFixture, world: World): Promise<void> {
  const pairs: [string, any][] = [
    [`/api/voice-agents/${world.agent.id}`, world.agent],
    [`/api/inbound-rules/${world.inboundRule.id}`, world.inboundRule],
    [`/api/trunks/${world.trunk.id}`, world.trunk],
    [`/api/outbound-rules/${world.outboundRule.id}`, world.outboundRule],
  ];
  for (const [path, original] of pairs) expect((await b.asAdmin("GET", path)).body, path).toEqual(original);
  const group = (await b.asAdmin("GET", `/api/agent-groups/${world.group.id}`)).body;
  expect(group).toEqual(world.group);
  const user = (await b.asAdmin("GET", `/api/users/${world.user}`)).body;
  expect((await b.asAdmin("GET", `/api/dead-letters/${world.deadLetter}`)).body.status).toBe("parked");
  expect(user.version).toBe(1);
  const audit = (await b.asAdmin("GET", "/api/audit-log?limit=200")).body.items;
  expect(audit.every((entry: any) => entry.actor.userId !== null && entry.actor.userId !== undefined)).toBe(true);
  expect(audit.some((entry: any) => entry.actor.email?.startsWith("admin-") && entry.actor.email !== b.admin.email)).toBe(false);
}
