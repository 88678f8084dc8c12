import { exports } from "cloudflare:workers";
import { and, eq, like } from "drizzle-orm";
import { describe, it } from "vitest";
import { webhookEvents } from "../../workers/db/schema";
import { WEBHOOK_REFUSAL_LIMITS } from "../../workers/webhooks/abuse-limit";
import { eventually, withDb } from "./helpers/db";
import { callbackInit, callbackUrl, createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

const BASE = "https://router.test/api/webhooks";
const { perAddress, perDomain } = WEBHOOK_REFUSAL_LIMITS;

/** A documentation-range IPv6 address of its own per call, so runs and tests never share a count. */
const freshIp = () => `2001:db8:${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}::${crypto.randomUUID().slice(0, 4)}`;
const unknownDomain = () => `nobody-${crypto.randomUUID().slice(0, 8)}.cloudonix.test`;

function send(path: string, init: RequestInit & { headers?: Record<string, string> }, ip: string): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, { ...init, headers: { ...init.headers, "cf-connecting-ip": ip } });
}

/** No Authorization, no callback token: can never authenticate. */
const bare = (body: unknown): RequestInit & { headers: Record<string, string> } => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

/** Sends `n` requests, `width` at a time, and returns their statuses in order. */
async function flood(n: number, request: (i: number) => Promise<Response>, width = 10): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i += width) {
    const batch = await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, j) => request(i + j).then(async (res) => (await res.arrayBuffer(), res.status))));
    statuses.push(...batch);
  }
  return statuses;
}

async function routes(f: RoutingFixture, ip: string): Promise<void> {
  const res = await send("/voice-application", webhookInit(f, voiceBody(f)) as RequestInit & { headers: Record<string, string> }, ip);
  const text = await res.text();
  if (res.status !== 200 || !text.includes("<Dial")) throw new Error(`a keyed call did not route: ${res.status} ${text}`);
}

describe("unauthenticated webhook traffic is limited per address and per claimed domain", () => {
  it("answers 429 with CXML past the address's limit, while a keyed request from that address still routes", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const ip = freshIp();
    const marker = crypto.randomUUID();
    const statuses = await flood(perAddress + 5, () => send(`/voice-application?marker=${marker}`, bare(voiceBody({ domain: unknownDomain() })), ip));
    expect(statuses.filter((s) => s !== 429)).toHaveLength(perAddress);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);

    const limited = await send("/voice-application", bare(voiceBody(f)), ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(WEBHOOK_REFUSAL_LIMITS.windowMs / 1000);
    expect(limited.headers.get("content-type")).toContain("application/xml");
    expect(await limited.text()).toContain('<Reject reason="busy"/>');

    // A wrong key is refused, and past the limit that refusal is a 429 too.
    const wrongKey = await send("/voice-application", webhookInit({ requestKey: "cxrk_wrong" }, voiceBody(f)) as RequestInit & { headers: Record<string, string> }, ip);
    expect(wrongKey.status).toBe(429);
    await wrongKey.arrayBuffer();

    // The tenant's real traffic is never held back.
    await routes(f, ip);

    // Every limited request is still a delivery.
    const rows = await eventually(
      async () => {
        const found = await withDb((db) =>
          db
            .select()
            .from(webhookEvents)
            .where(and(eq(webhookEvents.outcome, "RATE_LIMITED"), like(webhookEvents.requestQuery, `%${marker}%`))),
        );
        return found.length === 5 ? found : null;
      },
      10_000,
      "the rate-limited deliveries",
    );
    expect(rows[0]).toMatchObject({ statusCode: 429, kind: "voice-application", tenantId: null });
    expect(rows[0]!.responseBody).toContain('<Reject reason="busy"/>');
  });

  it("refuses a wrong callback token from a limited address with 429 in JSON, and still takes the tenant's own callback URL", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const ip = freshIp();
    await flood(perAddress, () => send("/voice-application", bare(voiceBody({ domain: unknownDomain() })), ip));
    const update = { token: `unknown-${crypto.randomUUID()}`, status: "processing", domain: f.domain };
    const withIp = (init: RequestInit) => ({ ...init, headers: { ...(init.headers as Record<string, string>), "cf-connecting-ip": ip } });

    const forged = await exports.default.fetch(callbackUrl(f, "session-update", "not-the-token"), withIp(callbackInit(update)));
    expect(forged.status).toBe(429);
    expect(forged.headers.get("retry-after")).toBeTruthy();
    expect((await forged.json<any>()).error.code).toBe("RATE_LIMITED");

    // The real callback URL authenticates: the call is unknown (404), but the request is not limited.
    const real = await exports.default.fetch(callbackUrl(f, "session-update"), withIp(callbackInit(update)));
    expect(real.status).toBe(404);
    expect((await real.json<any>()).error.code).toBe("UNKNOWN_CALL");
  });

  it("keeps each address's count to itself", async ({ expect }) => {
    const noisy = freshIp();
    const quiet = freshIp();
    await flood(perAddress + 1, () => send("/voice-application", bare(voiceBody({ domain: unknownDomain() })), noisy));
    expect((await send("/voice-application", bare(voiceBody({ domain: unknownDomain() })), noisy)).status).toBe(429);
    const other = await send("/voice-application", bare(voiceBody({ domain: unknownDomain() })), quiet);
    expect(other.status).not.toBe(429);
    expect([400, 401, 404]).toContain(other.status);
  });

  it("does not count a keyed request's refusal after it authenticated (an unknown call)", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const ip = freshIp();
    const statuses = await flood(perAddress + 5, () => send("/session-update", webhookInit(f, { token: `unknown-${crypto.randomUUID()}`, status: "processing", domain: f.domain }) as RequestInit & { headers: Record<string, string> }, ip));
    expect(new Set(statuses)).toEqual(new Set([404]));
    const bareAfter = await send("/voice-application", bare(voiceBody({ domain: unknownDomain() })), ip);
    expect(bareAfter.status).not.toBe(429);
  });

  it("answers 429 past the domain's limit from any address, in JSON on session updates, and a keyed request for the domain still routes", async ({ expect }) => {
    const f = await createRoutingFixture({ agentCount: 1 });
    const wrong = (body: unknown) => webhookInit({ requestKey: "cxrk_wrong" }, body) as RequestInit & { headers: Record<string, string> };
    // Each request from an address of its own: only the domain's count can run out.
    const statuses = await flood(perDomain + 3, () => send("/voice-application", wrong(voiceBody(f)), freshIp()), 25);
    expect(statuses.filter((s) => s !== 429)).toHaveLength(perDomain);
    // The requests went out in waves, so the last three came after the domain's 300th refusal.
    expect(statuses.slice(-3)).toEqual([429, 429, 429]);

    const json = await send("/session-update", wrong({ token: "t", status: "processing", domain: f.domain }), freshIp());
    expect(json.status).toBe(429);
    expect(Number(json.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const body = await json.json<any>();
    expect(body.error).toMatchObject({ code: "RATE_LIMITED", requestId: expect.any(String), details: { retryAfterSeconds: expect.any(Number) } });

    await routes(f, freshIp());
    // Another domain is not affected.
    const other = await send("/voice-application", wrong(voiceBody({ domain: unknownDomain() })), freshIp());
    expect(other.status).not.toBe(429);
  });
});
