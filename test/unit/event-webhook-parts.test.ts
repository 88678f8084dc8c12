import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { endpointUrlProblem, isInternalHostname, isPrivateIpv4, isPrivateIpv6 } from "../../workers/integrations/endpoint-url";
import { callEventId, deliveryId, eventOfCallMessage } from "../../workers/integrations/events";
import { DEFAULT_RETRY_POLICY, nextRetryDelay, retryPolicy } from "../../workers/integrations/retry-schedule";
import { parseSignatureHeader, signatureHeader, verifySignature } from "../../workers/integrations/signature";
import { cooldownOver, failurePct, slackPayload } from "../../workers/alerts/notify-text";
import type { CallEventMessage, CallRecordState } from "../../workers/queue/messages";

const production = { production: true };
const development = { production: false };

describe("event webhook URLs", () => {
  it("refuses private, loopback, link-local and reserved IPv4 addresses in production, however they are written", () => {
    const refused = [
      "https://127.0.0.1/hook",
      "https://127.1/hook", // the parser reads it as 127.0.0.1
      "https://2130706433/hook", // 127.0.0.1 as one number
      "https://0x7f.0.0.1/hook",
      "https://10.1.2.3/",
      "https://172.16.0.1/",
      "https://172.31.255.255/",
      "https://192.168.1.1:8443/x",
      "https://169.254.169.254/latest/meta-data",
      "https://100.64.0.1/",
      "https://0.0.0.0/",
      "https://224.0.0.1/",
      "https://255.255.255.255/",
    ];
    for (const url of refused) expect(endpointUrlProblem(url, production), url).toMatch(/private, loopback or link-local/);
    for (const url of ["https://8.8.8.8/hook", "https://172.32.0.1/", "https://192.169.0.1/", "https://100.128.0.1/"]) expect(endpointUrlProblem(url, production), url).toBeNull();
  });

  it("refuses private IPv6 literals, including IPv4 addresses mapped into IPv6", () => {
    for (const url of ["https://[::1]/", "https://[::]/", "https://[fe80::1]/", "https://[fd00::abcd]/", "https://[fc00::1]/", "https://[::ffff:127.0.0.1]/", "https://[::ffff:a9fe:a9fe]/", "https://[64:ff9b::10.0.0.1]/", "https://[ff02::1]/"]) {
      expect(endpointUrlProblem(url, production), url).toMatch(/private, loopback or link-local/);
    }
    expect(endpointUrlProblem("https://[2606:4700:4700::1111]/dns", production)).toBeNull();
    expect(endpointUrlProblem("https://[::ffff:8.8.8.8]/", production)).toBeNull();
    expect(isPrivateIpv6("2001:db8::1")).toBe(true);
    expect(isPrivateIpv6("not an address")).toBe(true);
    expect(isPrivateIpv4("1.2.3")).toBe(false);
  });

  it("refuses localhost and names that only exist inside a network", () => {
    for (const host of ["localhost", "LOCALHOST.", "api.localhost", "printer.local", "metadata.google.internal", "db.corp", "intranet", "router.lan", "x.home.arpa"]) {
      expect(isInternalHostname(host), host).toBe(true);
      expect(endpointUrlProblem(`https://${host}/hook`, production), host).toMatch(/public host name/);
    }
    expect(endpointUrlProblem("https://hooks.example.com/events", production)).toBeNull();
    expect(endpointUrlProblem("https://crm.acme.io:8443/cxlb?x=1", production)).toBeNull();
  });

  it("needs https in production, and allows a local receiver in development and tests", () => {
    expect(endpointUrlProblem("http://hooks.example.com/", production)).toBe("must be an https URL");
    expect(endpointUrlProblem("http://127.0.0.1:18090/hook/x", development)).toBeNull();
    expect(endpointUrlProblem("http://localhost:3000/", development)).toBeNull();
  });

  it("refuses what is not a plain absolute URL anywhere", () => {
    expect(endpointUrlProblem("ftp://example.com/", development)).toBe("must be an https URL");
    expect(endpointUrlProblem("javascript:alert(1)", development)).toBe("must be an https URL");
    expect(endpointUrlProblem("/relative", development)).toMatch(/absolute URL/);
    expect(endpointUrlProblem("https://user:pw@example.com/", development)).toMatch(/user name or password/);
    expect(endpointUrlProblem("https://example.com/#frag", development)).toMatch(/fragment/);
    expect(endpointUrlProblem("https://example.com/a\r\nX-Injected: 1", development)).toMatch(/control characters/);
    expect(endpointUrlProblem(`https://example.com/${"a".repeat(10_000)}`, development)).toMatch(/at most 2048/);
  });
});

describe("delivery signatures", () => {
  const body = JSON.stringify({ id: "evt_1", type: "call.ended", data: { callId: "c1" } });

  it("is t=<seconds>,v1=<hex HMAC-SHA-256 of '<t>.<body>'>, the same as Node's crypto computes", async () => {
    const header = await signatureHeader(["whsec_test"], 1_700_000_000, body);
    const expected = createHmac("sha256", "whsec_test").update(`1700000000.${body}`).digest("hex");
    expect(header).toBe(`t=1700000000,v1=${expected}`);
    expect(await verifySignature("whsec_test", header, body, 1_700_000_100)).toBe(true);
  });

  it("carries one v1 per secret during a rotation; either secret verifies", async () => {
    const header = await signatureHeader(["whsec_new", "whsec_old"], 1_700_000_000, body);
    expect(parseSignatureHeader(header).signatures).toHaveLength(2);
    expect(await verifySignature("whsec_new", header, body, 1_700_000_000)).toBe(true);
    expect(await verifySignature("whsec_old", header, body, 1_700_000_000)).toBe(true);
    expect(await verifySignature("whsec_other", header, body, 1_700_000_000)).toBe(false);
  });

  it("fails for a changed body or a stale timestamp", async () => {
    const header = await signatureHeader(["whsec_test"], 1_700_000_000, body);
    expect(await verifySignature("whsec_test", header, `${body} `, 1_700_000_000)).toBe(false);
    expect(await verifySignature("whsec_test", header, body, 1_700_000_000 + 301)).toBe(false);
    expect(await verifySignature("whsec_test", "v1=abc", body, 1_700_000_000)).toBe(false);
  });
});

describe("retry schedule", () => {
  it("doubles from 30 s up to 6 h and stops a day after the first attempt, the last retry at its end", () => {
    const start = 0;
    let at = start;
    const delays: number[] = [];
    for (let n = 1; ; n++) {
      const delay = nextRetryDelay(DEFAULT_RETRY_POLICY, n, start, at, 0.5);
      if (delay === null) break;
      delays.push(delay);
      at += delay * 1000;
    }
    expect(delays.slice(0, 10)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360]);
    expect(Math.max(...delays)).toBe(21_600);
    expect(at).toBe(86_400_000);
    expect(delays.length + 1).toBe(14);
  });

  it("jitters by ±10 % and reads its base and window from the environment", () => {
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, 1, 0, 0, 0)).toBe(27);
    expect(nextRetryDelay(DEFAULT_RETRY_POLICY, 1, 0, 0, 0.999)).toBe(33);
    expect(retryPolicy({ EVENT_DELIVERY_BACKOFF_SECONDS: "1", EVENT_DELIVERY_RETRY_WINDOW_SECONDS: "12" })).toMatchObject({ baseSeconds: 1, windowSeconds: 12 });
    expect(retryPolicy({ EVENT_DELIVERY_BACKOFF_SECONDS: "nonsense" })).toEqual(DEFAULT_RETRY_POLICY);
  });
});

function record(overrides: Partial<CallRecordState> = {}): CallRecordState {
  return {
    recordId: "cal_1",
    direction: "inbound",
    fromNumber: "+14155550100",
    toNumber: "+18005550199",
    callerName: null,
    status: "completed",
    disposition: "ANSWER",
    endReason: "completed",
    ruleId: "irl_1",
    groupId: "grp_1",
    agentId: "agt_2",
    trunkId: null,
    attempts: [
      { n: 1, stage: "group", kind: "agent", targetId: "agt_1", targetName: "First", groupId: "grp_1", startedAt: 1_000, endedAt: 3_000, outcome: "failed", dialStatus: "busy", durationSec: 0 },
      { n: 2, stage: "group", kind: "agent", targetId: "agt_2", targetName: "Second", provider: "retell", groupId: "grp_1", startedAt: 3_000, endedAt: 63_000, outcome: "answered", dialStatus: "completed", durationSec: 55 },
    ],
    decision: { rule: { id: "irl_1", name: "Sales", pattern: "1800*" }, directionReason: "inbound by default", usedDefaultFallback: false, rulesTried: [] },
    startedAt: 1_000,
    answeredAt: 8_000,
    endedAt: 63_000,
    durationSec: 55,
    billableSec: 56,
    ...overrides,
  };
}

const message = (type: string, seq: number, data: Record<string, unknown> = {}, extra: Partial<CallEventMessage> = {}): CallEventMessage => ({ kind: "call_event", tenantId: "ten_1", callId: "call-1", seq, type, at: 63_000, data, record: record(), ...extra });

describe("events built from call messages", () => {
  it("call.ended carries the decision, agent, attempts, outcome and durations", async () => {
    const event = await eventOfCallMessage(message("call.ended", 9));
    expect(event).toMatchObject({ type: "call.ended", tenantId: "ten_1", call: { id: "call-1", seq: 9 } });
    expect(event!.data).toMatchObject({
      outcome: { status: "completed", disposition: "ANSWER", answered: true },
      decision: { rule: { id: "irl_1", name: "Sales" }, groupId: "grp_1" },
      agent: { id: "agt_2", name: "Second", provider: "retell" },
      durations: { totalSec: 62, waitSec: 7, talkSec: 55, billableSec: 56 },
    });
    expect((event!.data.attempts as unknown[]).length).toBe(2);
  });

  it("a second dial is call.failed_over (the failed attempt and the next); a first dial, a ringing or a settle is nothing", async () => {
    const over = await eventOfCallMessage(message("call.attempt_started", 4, { attempt: 2 }));
    expect(over?.type).toBe("call.failed_over");
    expect(over!.data).toMatchObject({ failed: { targetId: "agt_1", dialStatus: "busy" }, next: { targetId: "agt_2" } });
    expect(await eventOfCallMessage(message("call.attempt_started", 2, { attempt: 1 }))).toBeNull();
    expect(await eventOfCallMessage(message("call.ringing", 3))).toBeNull();
    expect(await eventOfCallMessage(message("call.ended", 9, {}, { settle: true }))).toBeNull();
  });

  it("ids are stable: the same call event is the same event id, and a delivery's id depends on its destination", async () => {
    const a = await eventOfCallMessage(message("call.started", 1));
    const b = await eventOfCallMessage(message("call.started", 1));
    expect(a!.id).toBe(b!.id);
    expect(a!.id).toBe(await callEventId("ten_1", "call-1", 1));
    expect(await deliveryId("ep:ewh_1", a!.id)).not.toBe(await deliveryId("ep:ewh_2", a!.id));
    expect((await deliveryId("ep:ewh_1", a!.id)).length).toBeLessThanOrEqual(40);
  });
});

describe("alert notifications", () => {
  it("Slack text escapes the tenant's names, so nobody can ping a whole channel", () => {
    expect(slackPayload({ state: "fired", repeat: false, ruleName: "<!channel> ops", message: "Agent <@U1> & co" }).text).toBe(":rotating_light: Alert (&lt;!channel&gt; ops): Agent &lt;@U1&gt; &amp; co");
    expect(slackPayload({ state: "resolved", repeat: false, ruleName: null, message: "ok" }).text).toBe(":white_check_mark: Resolved: ok");
    expect(slackPayload({ state: "fired", repeat: true, ruleName: null, message: "x" }).text).toMatch(/^:rotating_light: Still firing/);
  });

  it("cooldown and failure share", () => {
    const now = new Date(10 * 60_000);
    expect(cooldownOver(null, 5, now)).toBe(true);
    expect(cooldownOver(new Date(6 * 60_000), 5, now)).toBe(false);
    expect(cooldownOver(new Date(5 * 60_000), 5, now)).toBe(true);
    expect(failurePct(9, 9, 10)).toBeNull();
    expect(failurePct(10, 3, 10)).toBe(30);
    expect(failurePct(3, 1, 1)).toBe(33.3);
  });
});
