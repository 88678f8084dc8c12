import { exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, it, vi } from "vitest";
import { webhookEvents } from "../../workers/db/schema";
import { envWith, requestWithEnv } from "./helpers/app";
import { eventually, withDb } from "./helpers/db";
import { createRoutingFixture, voiceBody, webhookInit } from "./helpers/routing-fixture";

const VOICE = "https://router.test/api/webhooks/voice-application";
const refusingQueue = { send: () => Promise.reject(new Error("queue unavailable")), sendBatch: () => Promise.reject(new Error("queue unavailable")) };
const brokenHyperdrive = { host: "127.0.0.1", port: 1, user: "x", password: "x", database: "x", connectionString: "" };

describe("webhook deliveries are never dropped silently", () => {
  it("go straight to MySQL when the queue refuses them", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const body = voiceBody(f);
    const res = await requestWithEnv(envWith({ CALL_EVENTS: refusingQueue }), "/api/webhooks/voice-application", webhookInit(f, body));
    expect(res.status).toBe(200);
    const rows = await eventually(
      async () => {
        const found = await withDb((db) => db.select().from(webhookEvents).where(eq(webhookEvents.callId, body.Session)));
        return found.length ? found : null;
      },
      5_000,
      "the delivery row",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tenantId: f.tenantId, kind: "voice-application", statusCode: 200, requestTruncated: false });
    // The request is kept as the text that arrived, and our answer beside it.
    expect(JSON.parse(rows[0]!.requestBody!)).toEqual(body);
    expect(rows[0]!.responseBody).toMatch(/^<\?xml[\s\S]*<Dial/);
  });

  it("are logged whole, as errors, when the queue and MySQL both fail", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    // Cache the tenant's snapshot, so the call still routes with MySQL down.
    expect((await exports.default.fetch(VOICE, webhookInit(f, voiceBody(f)))).status).toBe(200);
    const errors = vi.spyOn(console, "error");
    try {
      // A delivery the Worker records itself: a session update for a call this tenant does not
      // have (a call's own deliveries travel in its CallSession's outbox, retried by its alarm).
      const body = { token: voiceBody(f).Session, status: "ringing", domain: f.domain };
      const res = await requestWithEnv(envWith({ CALL_EVENTS: refusingQueue, HYPERDRIVE: brokenHyperdrive }), "/api/webhooks/session-update", webhookInit(f, body));
      expect(res.status).toBe(404);
      const logged = await eventually(async () => errors.mock.calls.map((args) => String(args[0])).find((line) => line.includes(body.token)), 5_000, "the error log line");
      const line = JSON.parse(logged);
      expect(line).toMatchObject({ level: "error", event: "webhook_events.delivery_lost", tenantId: f.tenantId, callKey: body.token });
      expect(line.queueError).toContain("queue unavailable");
      // The whole delivery is in the line, so it can be replayed from the logs.
      expect(JSON.parse(line.delivery)).toMatchObject({ kind: "webhook", tenantId: f.tenantId, callId: body.token, statusCode: 404 });
    } finally {
      errors.mockRestore();
    }
  });
});
