// Cloudonix's REST API for the workers tests: the Cloudonix stand-in (scripts/lib/standin/),
// started by the global setup on CLOUDONIX_MOCK_PORT, where the Worker's CLOUDONIX_API_URL
// points. Besides the call API it answers GET /customers/self/domains/{domain} as Cloudonix does:
// with `Authorization: Bearer <API key>` the domain object (id, domain, uuid, profile, …); a key
// Cloudonix does not know gets 401, a domain the key cannot see 404. Keys starting "XI" are
// valid, "XIREFUSED…" are not; the domain "missing.cloudonix.test" does not exist; every other
// domain's uuid is derived from its name.
import type { Server } from "node:http";
import { domainUuid } from "../../../scripts/lib/standin/model";
import { startStandIn } from "../../../scripts/lib/standin/server";

export const CLOUDONIX_MOCK_PORT = Number(process.env.CLOUDONIX_MOCK_PORT ?? 18089);

export const mockDomainUuid = domainUuid;

export async function startCloudonixApiMock(port = CLOUDONIX_MOCK_PORT): Promise<Server | null> {
  try {
    // Quick calls: tests wait for whole campaigns.
    return (await startStandIn({ port, behaviour: { ringMs: [20, 80], talkMs: [50, 150] } })).server;
  } catch (err) {
    // Another test run on this machine serves the stand-in already; domains keep tests apart.
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") return null;
    throw err;
  }
}
