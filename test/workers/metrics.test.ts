import { exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, it } from "vitest";
import * as schema from "../../workers/db/schema";
import { eventually, withDb } from "./helpers/db";
import { call, login, randomIp } from "./helpers/fixtures";
import { insertLetter } from "./helpers/debugger-fixture";
import { callMessage, callRecordState, newTestCallId } from "./helpers/call-messages";
import { createRoutingFixture, voiceBody, webhookInit, type RoutingFixture } from "./helpers/routing-fixture";

/*
 * GET /api/metrics against the real Worker, MariaDB, queue consumer and Durable Objects:
 * calls made through the webhooks show up by outcome, agent and group; a live call, an agent
 * taken out for health and a parked dead letter are counted; hostile names stay inside their
 * label; the figures are the tenant's alone.
 */

const VOICE = "https://router.test/api/webhooks/voice-application";
const HOSTILE = 'Bob "the\nbuilder" \\ } 1\ncxlb_fake 9';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Reads the text format independently of the writer: every sample line, labels unescaped. */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    const pair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;
    const body = match[2] ?? "";
    for (let at = 0; at < body.length; ) {
      pair.lastIndex = at;
      const m = pair.exec(body);
      if (!m) throw new Error(`bad labels in ${JSON.stringify(line)}`);
      labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, ch: string) => (ch === "n" ? "\n" : ch));
      at = pair.lastIndex;
    }
    out.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return out;
}

const total = (samples: Sample[], name: string, where: Record<string, string> = {}) => samples.filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);

async function post(fixture: RoutingFixture, url: string, body: Record<string, unknown>) {
  const res = await exports.default.fetch(url, webhookInit(fixture, body));
  return res.text();
}

async function readOnlyKey(fixture: RoutingFixture): Promise<string> {
  const token = await login(fixture.adminEmail, fixture.adminPassword, randomIp());
  const res = await call(token, "POST", "/api/api-keys", { name: "prometheus", role: "user" });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body.key;
}

describe("GET /api/metrics", () => {
  it("counts calls by outcome, agent and group, live calls, agents out for health and dead letters, in Prometheus text", async ({ expect }) => {
    const fixture = await createRoutingFixture({ agentCount: 4, maxAttempts: 3 });
    // Every agent named to break the format if it were not escaped.
    const nameOf = (i: number) => `${HOSTILE} #${i}`;
    await withDb(async (db) => {
      for (const [i, agent] of fixture.agents.entries())
        await db
          .update(schema.voiceAgents)
          .set({ name: nameOf(i) })
          .where(eq(schema.voiceAgents.id, agent.id));
    });
    const key = await readOnlyKey(fixture);

    // Three calls whose every attempt is busy: round robin over four agents dials one of them in
    // each call, three failures in a row, which takes it out for health.
    for (let i = 0; i < 3; i++) {
      const body = voiceBody(fixture);
      await post(fixture, VOICE, body);
      for (let attempt = 1; attempt <= 3; attempt++) await post(fixture, `${VOICE}/dial-result?attempt=${attempt}`, { ...body, DialCallStatus: "busy" });
    }
    // One call still ringing.
    await post(fixture, VOICE, voiceBody(fixture));
    await insertLetter(fixture.tenantId, callMessage(fixture.tenantId, newTestCallId(), 1, callRecordState({ startedAt: Date.now() })));

    const scrape = async () => {
      const res = await exports.default.fetch("https://router.test/api/metrics", { headers: { authorization: `Bearer ${key}` } });
      return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
    };
    const { status, type, text } = await eventually(
      async () => {
        const s = await scrape();
        const samples = parse(s.text);
        return total(samples, "cxlb_calls", { outcome: "failed" }) === 3 && total(samples, "cxlb_live_calls") === 1 ? s : null;
      },
      20_000,
      "the three failed calls and the live one",
    );
    expect(status).toBe(200);
    expect(type).toBe("text/plain; version=0.0.4; charset=utf-8");
    const samples = parse(text);
    // Nothing but our families, and no line the hostile name could have forged.
    expect(new Set(samples.map((s) => s.name.replace(/_[a-z]+$/, "")))).not.toContain("cxlb_fake");
    expect(samples.every((s) => s.name.startsWith("cxlb_"))).toBe(true);

    const failed = samples.filter((s) => s.name === "cxlb_calls" && s.labels.outcome === "failed");
    expect(failed.every((s) => s.labels.group_id === fixture.groupId && s.labels.group === "Group" && s.labels.direction === "inbound")).toBe(true);
    expect(total(samples, "cxlb_attempts", { outcome: "failed" })).toBe(9);
    const byAgent = fixture.agents.map((agent, i) => total(samples, "cxlb_attempts", { outcome: "failed", agent_id: agent.id, agent: nameOf(i) }));
    expect(byAgent.reduce((n, v) => n + v, 0)).toBe(9);
    const worst = byAgent.indexOf(3);
    expect(worst).toBeGreaterThanOrEqual(0);
    expect(total(samples, "cxlb_live_calls", { direction: "inbound" })).toBe(1);
    expect(total(samples, "cxlb_agents_out_for_health")).toBe(1);
    const out = samples.filter((s) => s.name === "cxlb_agent_out_for_health");
    expect(out).toHaveLength(1);
    expect(out[0]!.labels).toMatchObject({ agent_id: fixture.agents[worst]!.id, agent: nameOf(worst), balancer: fixture.groupId });
    expect(Number(out[0]!.labels.until)).toBeGreaterThan(Date.now() / 1000);
    expect(total(samples, "cxlb_dead_letters_parked")).toBe(1);
    expect(total(samples, "cxlb_metrics_window_seconds")).toBeGreaterThanOrEqual(3600);
    expect(total(samples, "cxlb_metrics_window_seconds")).toBeLessThanOrEqual(4500);
    for (const source of ["rollups", "names", "live_calls", "health", "dead_letters", "queue"]) expect(total(samples, "cxlb_metrics_source_up", { source }), source).toBe(1);
    // The queue's backlog, from the producer binding's metrics() (the local runtime has it too).
    expect(samples.filter((s) => s.name === "cxlb_queue_backlog_messages").map((s) => s.labels)).toEqual([{ queue: "call-events" }]);
    expect(total(samples, "cxlb_queue_oldest_message_age_seconds")).toBeGreaterThanOrEqual(0);
    // HELP and TYPE once per family.
    const families = text.split("\n").filter((l) => l.startsWith("# TYPE "));
    expect(new Set(families).size).toBe(families.length);
  });

  it("is the tenant's alone, takes a user token too, and refuses no credential or a bad window with the error envelope", async ({ expect }) => {
    const [a, b] = [await createRoutingFixture(), await createRoutingFixture()];
    const bodyB = voiceBody(b);
    await post(b, VOICE, bodyB);
    await post(b, `${VOICE}/dial-result?attempt=1`, { ...bodyB, DialCallStatus: "busy" });
    const tokenA = await login(a.adminEmail, a.adminPassword, randomIp());
    const res = await exports.default.fetch("https://router.test/api/metrics?window=24h", { headers: { authorization: `Bearer ${tokenA}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const id of [b.groupId, ...b.agents.map((agent) => agent.id)]) expect(text).not.toContain(id);
    expect(total(parse(text), "cxlb_live_calls")).toBe(0);

    const none = await call(null, "GET", "/api/metrics");
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("UNAUTHENTICATED");
    const bad = await call(tokenA, "GET", "/api/metrics?window=7d");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
  });
});
