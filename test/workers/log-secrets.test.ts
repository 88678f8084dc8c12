import { exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, it, vi } from "vitest";
import { envWith, requestWithEnv } from "./helpers/app";
import { eventually } from "./helpers/db";
import { BASE, call, randomIp } from "./helpers/fixtures";
import { callbackInit, callbackUrl, createRoutingFixture, voiceBody, webhookInit } from "./helpers/routing-fixture";

/*
 * No secret ever reaches a log line. Representative flows run with the console captured (the
 * Worker, its Durable Objects and the tests share this isolate's console): sign-in (right and
 * wrong password), webhooks with the request key and at the callback URLs (and with wrong
 * ones), API key creation, use and revocation, rotating the request key and the callback URLs,
 * storing the Cloudonix API key, and a failing Analytics Engine binding that logs a warning in
 * the middle of a webhook. Then every captured line is searched for every secret used.
 */

const captured: string[] = [];
const METHODS = ["log", "info", "warn", "error", "debug"] as const;

function text(args: unknown[]): string {
  return args.map((arg) => (typeof arg === "string" ? arg : arg instanceof Error ? `${arg.message}\n${arg.stack}` : JSON.stringify(arg))).join(" ");
}

beforeEach(() => {
  captured.length = 0;
  for (const method of METHODS) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void captured.push(text(args)));
});
afterEach(() => vi.restoreAllMocks());

describe("logs", () => {
  it("never carry a password, token, request key, callback token, API key or Cloudonix key", async ({ expect }) => {
    const fixture = await createRoutingFixture();
    const secrets: Record<string, string> = { password: fixture.adminPassword, requestKey: fixture.requestKey, callbackToken: fixture.callbackToken };

    // Sign-in, right and wrong.
    const login = await call(null, "POST", "/api/auth/login", { email: fixture.adminEmail, password: fixture.adminPassword }, { "cf-connecting-ip": randomIp() });
    expect(login.status).toBe(200);
    secrets.accessToken = login.body.token;
    const wrong = "wrong-password-do-not-log";
    secrets.wrongPassword = wrong;
    expect((await call(null, "POST", "/api/auth/login", { email: fixture.adminEmail, password: wrong }, { "cf-connecting-ip": randomIp() })).status).toBe(401);
    const admin = (method: string, path: string, body?: unknown) => call(secrets.accessToken!, method, path, body);

    // Webhooks with the request key, at the callback URLs, and with wrong credentials.
    const body = voiceBody(fixture);
    expect((await exports.default.fetch(`${BASE}/api/webhooks/voice-application`, webhookInit(fixture, body))).status).toBe(200);
    const update = { token: body.Session, domain: fixture.domain, status: "connected", callAnswerTime: Date.now() };
    expect((await exports.default.fetch(callbackUrl(fixture, "session-update"), callbackInit(update))).status).toBe(200);
    const forgedToken = `cxcb_${"F".repeat(43)}`;
    secrets.forgedToken = forgedToken;
    expect((await exports.default.fetch(callbackUrl(fixture, "session-update", forgedToken), callbackInit(update))).status).toBe(401);
    const forgedKey = `cxrk_${"W".repeat(43)}`;
    secrets.forgedKey = forgedKey;
    expect((await exports.default.fetch(`${BASE}/api/webhooks/voice-application`, webhookInit({ requestKey: forgedKey }, voiceBody(fixture)))).status).toBe(401);
    // A warning logged in the middle of a webhook (a failing Analytics Engine binding).
    const failing = envWith({
      ANALYTICS: {
        writeDataPoint: () => {
          throw new Error(`refused Bearer ${fixture.requestKey}`);
        },
      },
    });
    expect((await requestWithEnv(failing, `${BASE}/api/webhooks/voice-application`, webhookInit(fixture, voiceBody(fixture)))).status).toBe(200);

    // API keys: created, used, revoked, refused.
    const created = await admin("POST", "/api/api-keys", { name: "log test", role: "admin" });
    expect(created.status).toBe(201);
    secrets.apiKey = created.body.key;
    expect((await call(secrets.apiKey!, "GET", "/api/trunks")).status).toBe(200);
    expect((await admin("POST", `/api/api-keys/${created.body.id}/revoke`)).status).toBe(200);
    expect((await call(secrets.apiKey!, "GET", "/api/trunks")).status).toBe(401);

    // Rotations and the Cloudonix API key.
    const rotated = await admin("POST", "/api/tenant/request-key", { graceSeconds: 0 });
    expect(rotated.status).toBe(200);
    secrets.newRequestKey = rotated.body.requestKey;
    const urls = await admin("POST", "/api/tenant/callback-token", { graceSeconds: 0 });
    expect(urls.status).toBe(200);
    secrets.newCallbackToken = /\/c\/([^/]+)\//.exec(urls.body.callbackUrls.sessionUpdate)![1]!;
    secrets.cloudonixApiKey = `XIsecret-${crypto.randomUUID()}`;
    expect((await admin("PUT", "/api/tenant", { cloudonixApiKey: secrets.cloudonixApiKey })).status).toBe(200);
    expect((await admin("GET", "/api/tenant")).status).toBe(200);
    expect((await admin("POST", "/api/auth/logout")).status).toBe(204);
    expect((await call(secrets.accessToken!, "GET", "/api/trunks")).status).toBe(401);

    // What runs after the answers (deliveries, snapshot publishes) has logged by now.
    await eventually(async () => captured.some((line) => line.includes('"event":"api_key.created"')), 5_000, "the API key's log line");
    await new Promise((resolve) => setTimeout(resolve, 500));

    // The flows logged (this test is not vacuous) ...
    const lines = captured.join("\n");
    for (const event of ["webhook.answered", "analytics.write_failed", "api_key.created"]) expect(lines, event).toContain(`"event":"${event}"`);
    const answered = captured.filter((line) => line.includes('"event":"webhook.answered"')).map((line) => JSON.parse(line));
    expect(answered.length).toBeGreaterThanOrEqual(4);
    expect(answered.every((line) => line.level === "info" && typeof line.requestId === "string" && typeof line.time === "string")).toBe(true);
    expect(answered.some((line) => line.tenantId === fixture.tenantId && line.callKey === body.Session)).toBe(true);
    // ... and no secret, whole or its random part, appears in any line.
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThan(12);
      const body = secret.replace(/^cx[a-z]+_/, "");
      for (const needle of [secret, body.slice(0, 16), body.slice(-16)]) expect(lines.includes(needle), `${name} (${needle.slice(0, 6)}…) in the logs`).toBe(false);
    }
  });
});
