import { env, exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, it } from "vitest";
import { voiceAgents, webhookEvents } from "../../workers/db/schema";
import { encryptSecret } from "../../workers/lib/secrets";
import type { Env } from "../../workers/env";
import { envWith, requestWithEnv } from "./helpers/app";
import { markTenantChanged } from "./helpers/config";
import { eventually, withDb } from "./helpers/db";
import { createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";
const CONGESTION = '<?xml version="1.0" encoding="UTF-8"?><Response><Reject reason="congestion"/></Response>';

/** The agent's password as it was stored under an encryption key that has since been replaced. */
async function sealUnderOldKey(agentId: string) {
  const oldKey = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
  const stored = await encryptSecret("provider-password", oldKey);
  await withDb((db) => db.update(voiceAgents).set({ passwordEnc: stored }).where(eq(voiceAgents.id, agentId)));
}

function delivery(callId: string, webhook: string) {
  return eventually(
    async () => {
      const rows = await withDb((db) =>
        db
          .select()
          .from(webhookEvents)
          .where(and(eq(webhookEvents.callId, callId), eq(webhookEvents.kind, webhook))),
      );
      return rows[0] ?? null;
    },
    15_000,
    `the ${webhook} delivery`,
  );
}

async function activeCalls(f: RoutingFixture): Promise<number> {
  return (await env.GROUP_BALANCER.getByName(f.groupId).stats()).reduce((n, s) => n + s.active, 0);
}

/** A CallSession namespace whose stubs throw `failures` in turn, then reach the real objects. */
function flakyCallSessions(...failures: Error[]) {
  let calls = 0;
  const namespace = {
    idFromName: env.CALL_SESSION.idFromName.bind(env.CALL_SESSION),
    get: env.CALL_SESSION.get.bind(env.CALL_SESSION),
    getByName(name: string) {
      const real = env.CALL_SESSION.getByName(name);
      const attempt = <T>(work: () => Promise<T>) => {
        const failure = failures[calls++];
        return failure ? Promise.reject(failure) : work();
      };
      return {
        route: (...args: Parameters<typeof real.route>) => attempt(() => real.route(...args)),
        sessionUpdate: (...args: Parameters<typeof real.sessionUpdate>) => attempt(() => real.sessionUpdate(...args)),
      };
    },
  };
  return { env: envWith({ CALL_SESSION: namespace }) as Env, calls: () => calls };
}

const reset = () => Object.assign(new Error("Durable Object reset because its code was updated."), { retryable: true });

describe("a voice webhook that fails on our side", () => {
  it("answers 200 with a congestion Reject, frees the slot and records the delivery as internal_error", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1, capacity: 1, agentPassword: "provider-password" });
    await sealUnderOldKey(f.agents[0]!.id);
    await markTenantChanged(f.tenantId);
    const body = voiceBody(f);
    const res = await exports.default.fetch(VOICE, webhookInit(f, body));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/xml");
    expect(res.headers.get("x-error-code")).toBe("INTERNAL_ERROR");
    expect(await res.text()).toBe(CONGESTION);
    const row = await delivery(body.Session, "voice-application");
    expect(row).toMatchObject({ tenantId: f.tenantId, statusCode: 200, outcome: "internal_error" });
    expect(row.error).toBeTruthy();
    // The failed request saved nothing, so it must not keep the only slot either.
    expect(await activeCalls(f)).toBe(0);
  });

  it("answers a failing dial result the same way", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 2, capacity: 1, agentPassword: "provider-password" });
    await sealUnderOldKey(f.agents[1]!.id);
    await markTenantChanged(f.tenantId);
    const body = voiceBody(f);
    expect(await (await exports.default.fetch(VOICE, webhookInit(f, body))).text()).toContain(f.agents[0]!.serviceValue);
    const res = await exports.default.fetch(`${VOICE}/dial-result?attempt=1`, webhookInit(f, { ...body, DialCallStatus: "busy" }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(CONGESTION);
    expect(await delivery(body.Session, "dial-result")).toMatchObject({ statusCode: 200, outcome: "internal_error" });
    expect(await activeCalls(f)).toBe(0);
  });

  it("retries a Durable Object call that failed retryably, once", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const flaky = flakyCallSessions(reset());
    const res = await requestWithEnv(flaky.env, "/api/webhooks/voice-application", webhookInit(f, voiceBody(f)));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(f.agents[0]!.serviceValue);
    expect(flaky.calls()).toBe(2);
  });

  it("does not retry an overloaded object, and answers congestion", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const flaky = flakyCallSessions(Object.assign(reset(), { overloaded: true }));
    const res = await requestWithEnv(flaky.env, "/api/webhooks/voice-application", webhookInit(f, voiceBody(f)));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(CONGESTION);
    expect(flaky.calls()).toBe(1);
  });
});

describe("a session update that fails on our side", () => {
  it("answers 503 in JSON so that Cloudonix sends it again, and records the delivery", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const body = voiceBody(f);
    await exports.default.fetch(VOICE, webhookInit(f, body));
    const flaky = flakyCallSessions(reset(), reset());
    const res = await requestWithEnv(flaky.env, "/api/webhooks/session-update", webhookInit(f, { token: body.Session, status: "connected", domain: f.domain }));
    expect(res.status).toBe(503);
    const error = (await res.json<{ error: { code: string; requestId: string; details?: unknown } }>()).error;
    expect(error.code).toBe("INTERNAL_ERROR");
    expect(error.requestId).toBe(res.headers.get("x-request-id"));
    expect(error.details).toBeUndefined();
    expect(flaky.calls()).toBe(2);
    expect(await delivery(body.Session, "session-update")).toMatchObject({ statusCode: 503, outcome: "internal_error" });
  });
});
