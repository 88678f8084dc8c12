import { env, exports } from "cloudflare:workers";
import { connectDb, type Db } from "../../../workers/db/client";
import { createTenantWithAdmin } from "../../../workers/db/repos/tenants";
import * as schema from "../../../workers/db/schema";
import { newId } from "../../../workers/lib/ids";
import { hashPassword } from "../../../workers/lib/passwords";

/*
 * Shared fixtures for Worker tests: every test makes its own tenant (unique names, emails
 * and domains), so tests never share ids and never assume an empty database.
 */

export const BASE = "https://router.test";

/** Runs `work` with a Drizzle connection to the test database, closing it afterwards. */
export async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const handle = await connectDb(env.HYPERDRIVE);
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

/** A random address, so per-address login throttling of one test never touches another. */
export function randomIp(): string {
  const octet = () => Math.floor(Math.random() * 254) + 1;
  return `10.${octet()}.${octet()}.${octet()}`;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the Worker; `body` is sent as JSON when given. */
export async function call<T = any>(token: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (token) (init.headers as Record<string, string>).authorization = `Bearer ${token}`;
  if (body !== undefined) {
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  const res = await exports.default.fetch(`${BASE}${path}`, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (e.g. XML); keep the text.
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export async function login(email: string, password: string, ip = randomIp()): Promise<string> {
  const res = await call(null, "POST", "/api/auth/login", { email, password }, { "cf-connecting-ip": ip });
  if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

export interface Account {
  id: string;
  email: string;
  password: string;
  token: string;
}

export interface TenantFixture {
  tenantId: string;
  name: string;
  domain: string;
  requestKey: string;
  admin: Account;
  /** A read-only ("user" role) account of the same tenant. */
  viewer: Account;
  /** Calls as the admin. */
  asAdmin: <T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<ApiResponse<T>>;
  /** Calls as the read-only user. */
  asViewer: <T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<ApiResponse<T>>;
}

/** A tenant with an admin and a read-only user, both signed in. */
export async function createTenantFixture(label = "t"): Promise<TenantFixture> {
  const unique = crypto.randomUUID().slice(0, 12);
  const name = `${label}-${unique}`;
  const domain = `${label}-${unique}.test.cloudonix.net`.toLowerCase();
  const adminEmail = `admin-${unique}@example.test`;
  const viewerEmail = `viewer-${unique}@example.test`;
  const password = `pw-${crypto.randomUUID()}`;
  const viewerId = newId("usr");
  const created = await withDb(async (db) => {
    const tenant = await createTenantWithAdmin(db, { name, cloudonixDomain: domain, adminEmail, adminPassword: password });
    await db.insert(schema.users).values({ id: viewerId, tenantId: tenant.tenantId, email: viewerEmail, name: "Viewer", passwordHash: await hashPassword(password), role: "user" });
    return tenant;
  });
  const [adminToken, viewerToken] = await Promise.all([login(adminEmail, password), login(viewerEmail, password)]);
  const as =
    (token: string) =>
    <T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>(token, method, path, body, headers);
  return {
    tenantId: created.tenantId,
    name,
    domain,
    requestKey: created.requestKey,
    admin: { id: created.adminUserId, email: adminEmail, password, token: adminToken },
    viewer: { id: viewerId, email: viewerEmail, password, token: viewerToken },
    asAdmin: as(adminToken),
    asViewer: as(viewerToken),
  };
}

/** Creates a voice agent through the API and returns its body. */
export async function createAgent(t: TenantFixture, overrides: Record<string, unknown> = {}): Promise<any> {
  const res = await t.asAdmin("POST", "/api/voice-agents", {
    name: `agent-${crypto.randomUUID().slice(0, 8)}`,
    provider: "retell",
    serviceValue: `+1212555${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`,
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`creating an agent failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface World {
  agent: any;
  group: any;
  inboundRule: any;
  trunk: any;
  outboundRule: any;
  /** The read-only user's id. */
  user: string;
}

/** One of each configuration entity in the tenant, wired together like a real setup. */
export async function createWorld(t: TenantFixture): Promise<World> {
  const agent = await createAgent(t);
  const group = (await t.asAdmin("POST", "/api/agent-groups", { name: `group-${crypto.randomUUID().slice(0, 8)}`, members: [{ agentId: agent.id }] })).body;
  const inboundRule = (await t.asAdmin("POST", "/api/inbound-rules", { name: "main", pattern: "+1800*", target: { type: "group", id: group.id } })).body;
  const trunk = (await t.asAdmin("POST", "/api/trunks", { name: `trunk-${crypto.randomUUID().slice(0, 8)}` })).body;
  const outboundRule = (await t.asAdmin("POST", "/api/outbound-rules", { name: "out", destinationPrefix: "44", trunkIds: [trunk.id] })).body;
  for (const [name, value] of Object.entries({ agent, group, inboundRule, trunk, outboundRule })) {
    if (!value?.id) throw new Error(`createWorld: ${name} was not created: ${JSON.stringify(value)}`);
  }
  return { agent, group, inboundRule, trunk, outboundRule, user: t.viewer.id };
}
