import { env, exports } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, it } from "vitest";
import type { CallSession } from "../../durable-objects/call-session";
import { claimLifetimeMs, RINGING_SILENCE_MS } from "../../durable-objects/call/model";
import { eventually } from "./helpers/db";
import { createRoutingFixture, voiceBody, webhookInit } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";

describe("CallSession", () => {
  it("forgets an ended call a day after its last event, once its outbox has gone out", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const body = voiceBody(f);
    await exports.default.fetch(VOICE, webhookInit(f, body));
    await exports.default.fetch(`${VOICE}/dial-result?attempt=1`, webhookInit(f, { ...body, DialCallStatus: "completed", DialCallDuration: "2" }));
    const stub = env.CALL_SESSION.getByName(`${f.tenantId}:${body.Session}`) as DurableObjectStub<CallSession>;
    expect((await stub.snapshot())?.state).toBe("completed");
    // A day later (its settling done): the stored outbox still lists what went out, which no
    // later write pruned; the alarm sends what may be left and deletes the call.
    await runInDurableObject(stub, (_instance, state) => {
      const data = state.storage.kv.get<{ lastActivityAt: number; seq: number; settledSeq?: number }>("call")!;
      data.lastActivityAt -= 25 * 3_600_000;
      data.settledSeq = data.seq;
      state.storage.kv.put("call", data);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.snapshot()).toBeNull();
    expect(await runInDurableObject(stub, (_instance, state) => [...state.storage.kv.list()].length)).toBe(0);
  });

  it("ends a call that goes silent by alarm, and frees the agent's slot", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1, capacity: 1 });
    const body = voiceBody(f);
    await exports.default.fetch(VOICE, webhookInit(f, body));
    const stub = env.CALL_SESSION.getByName(`${f.tenantId}:${body.Session}`) as DurableObjectStub<CallSession>;
    expect((await stub.snapshot())?.state).toBe("ringing");
    // Age the call past its ringing deadline, as if Cloudonix never called back.
    await runInDurableObject(stub, (_instance, state) => {
      const data = state.storage.kv.get<{ lastActivityAt: number }>("call")!;
      data.lastActivityAt -= 60 * 60 * 1000;
      state.storage.kv.put("call", data);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const after = await stub.snapshot();
    expect(after?.state).toBe("timeout");
    expect(after?.record.endReason).toBe("timeout");
    expect(after?.slot).toBeNull();
    expect((await env.GROUP_BALANCER.getByName(f.groupId).stats())[0]).toMatchObject({ active: 0 });
  });

  it("once its events are delivered, sleeps until the call's deadline instead of waking to retry", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const body = voiceBody(f);
    await exports.default.fetch(VOICE, webhookInit(f, body));
    const stub = env.CALL_SESSION.getByName(`${f.tenantId}:${body.Session}`) as DurableObjectStub<CallSession>;
    const state = await eventually(
      () =>
        runInDurableObject(stub, async (_instance, s) => {
          const pending = s.storage.kv.get("outbox");
          return pending ? null : { alarm: await s.storage.getAlarm(), lastActivityAt: s.storage.kv.get<{ lastActivityAt: number }>("call")!.lastActivityAt };
        }),
      5_000,
      "the outbox to be delivered",
    );
    expect(state.alarm).toBe(state.lastActivityAt + RINGING_SILENCE_MS);
  });

  it("claims the agent's slot for longer than the call timeout, so a long call keeps it", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1, capacity: 1 });
    await exports.default.fetch(VOICE, webhookInit(f, voiceBody(f)));
    const lifetime = await runInDurableObject(env.GROUP_BALANCER.getByName(f.groupId), (_instance, state) => {
      const row = state.storage.sql.exec<{ claimed_at: number; expires_at: number }>("SELECT claimed_at, expires_at FROM active_calls").one();
      return row.expires_at - row.claimed_at;
    });
    const callTimeoutMs = Number(env.CALL_TIMEOUT_SECONDS) * 1000;
    expect(lifetime).toBe(claimLifetimeMs(callTimeoutMs));
    expect(lifetime).toBeGreaterThan(callTimeoutMs + RINGING_SILENCE_MS);
  });

  it("refuses invalid transitions without failing the request, and logs them in the trace", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const body = voiceBody(f);
    await exports.default.fetch(VOICE, webhookInit(f, body));
    const stub = env.CALL_SESSION.getByName(`${f.tenantId}:${body.Session}`) as DurableObjectStub<CallSession>;
    await stub.sessionUpdate({ status: "completed" });
    const late = await stub.sessionUpdate({ status: "connected" });
    // Without a delivery record handed over, the CallSession records none (recorded: false).
    expect(late).toEqual({ known: true, state: "completed", applied: false, recorded: false });
    const snap = await stub.snapshot();
    expect(snap?.trace.refused).toContain('call is completed; "answer" is ignored');
  });

  it("answers an unknown call as unknown, without creating state", async ({ expect }) => {
    const stub = env.CALL_SESSION.getByName(`nobody:${crypto.randomUUID()}`) as DurableObjectStub<CallSession>;
    expect(await stub.sessionUpdate({ status: "ringing" })).toEqual({ known: false, state: null, applied: false });
    expect(await stub.snapshot()).toBeNull();
  });
});
