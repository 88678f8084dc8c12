import { exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { outboundRoutingRules, trunks } from "../../workers/db/schema";
import { newId } from "../../workers/lib/ids";
import { elementsOf, parseXml, type XmlElement } from "../unit/helpers/xml";
import { markTenantChanged } from "./helpers/config";
import { withDb } from "./helpers/db";
import { createRoutingFixture, newCallId, type RoutingFixture } from "./helpers/routing-fixture";

/*
 * Requests shaped like the ones real Cloudonix deployments send (field for field; values
 * invented), not like the ones our own simulator writes.
 */

const VOICE = "https://router.test/api/webhooks/voice-application";

/** A registered endpoint (subscriber 1004) dialling `to`, as Cloudonix sends it. */
function subscriberRequest(f: RoutingFixture, to: string) {
  const session = newCallId();
  return {
    body: {
      ApiVersion: "1",
      CallSid: session,
      Session: session,
      From: "1004",
      To: to,
      CallStatus: "in-progress",
      Direction: "subscriber",
      Domain: f.domain,
      AccountSid: f.domain,
      ApplicationSid: "00000000-1111-2222-3333-444444444444",
      SessionData: {
        id: 48211,
        domainId: 7,
        token: session,
        callerId: "1004",
        destination: to,
        status: "new",
        callStartTime: Date.now() - 150,
        ringing: false,
        domainNameOrId: f.domain,
        outgoingSubscriberId: 991,
        callIds: [`${session}@10.0.0.1`],
        profile: { "subscriber-sip-headers": { "Cloudonix-Origin": "endpoint", CID: "1004" } },
      },
    },
    headers: { "X-CX-Source": "SUBSCRIBER", "X-CX-Domain": f.domain, "X-CX-Session": session, "User-Agent": "Cloudonix APP.Core/5.3.12" },
  };
}

async function route(f: RoutingFixture, request: ReturnType<typeof subscriberRequest>): Promise<XmlElement> {
  const res = await exports.default.fetch(VOICE, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${f.requestKey}`, ...request.headers },
    body: JSON.stringify(request.body),
  });
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${await res.text()}`);
  const [dial] = elementsOf(parseXml(await res.text()).root);
  return dial!;
}

describe("a registered endpoint's call, as Cloudonix sends it", () => {
  async function tenantWithExtension() {
    const f = await createRoutingFixture({ agentCount: 2, pattern: "3000" });
    await withDb(async (db) => {
      const trunkId = newId("trk");
      await db.insert(trunks).values({ id: trunkId, tenantId: f.tenantId, name: "carrier-a" });
      await db.insert(outboundRoutingRules).values({ id: newId("orl"), tenantId: f.tenantId, name: "everything", destinationPrefix: "", trunkIds: [trunkId] });
    });
    await markTenantChanged(f.tenantId);
    return f;
  }

  it("to an extension an inbound rule names goes to that agent group, not out to the carrier", async ({ expect }) => {
    const f = await tenantWithExtension();
    const dial = await route(f, subscriberRequest(f, "3000"));
    expect(dial.name).toBe("Dial");
    expect(dial.attrs).not.toHaveProperty("trunks");
    const [service] = elementsOf(dial);
    expect(service!.name).toBe("Service");
    expect(f.agents.map((a) => a.serviceValue)).toContain(service!.children[0]);
  });

  it("to a number no inbound rule names goes out through the trunk, dialled as sent, with no + put in front", async ({ expect }) => {
    const f = await tenantWithExtension();
    const dial = await route(f, subscriberRequest(f, "3001"));
    expect(dial.attrs).toMatchObject({ trunks: "carrier-a", callerId: "1004" });
    expect(elementsOf(dial)[0]).toEqual({ name: "Number", attrs: {}, children: ["3001"] });
    const external = await route(f, subscriberRequest(f, "442071234567"));
    expect(elementsOf(external)[0]!.children).toEqual(["+442071234567"]);
  });
});
