// A stand-in for Cloudonix's REST API (which cannot be reached from here), started for the
// workers tests. It answers what the router asks, as Cloudonix does: GET
// /customers/self/domains/{domain} with `Authorization: Bearer <API key>` returns the domain
// object (id, domain, uuid, profile, …); a key Cloudonix does not know gets 401, a domain the
// key cannot see 404. Keys starting "XI" are valid, "XIREFUSED…" are not; the domain
// "missing.cloudonix.test" does not exist; every other domain's uuid is derived from its name.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";

export const CLOUDONIX_MOCK_PORT = Number(process.env.CLOUDONIX_MOCK_PORT ?? 18089);

export function mockDomainUuid(domain: string): string {
  const h = createHash("sha256").update(domain.toLowerCase()).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function startCloudonixApiMock(port = CLOUDONIX_MOCK_PORT): Promise<Server | null> {
  const server = createServer((req, res) => {
    const key = /^Bearer\s+(\S+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (!key.startsWith("XI") || key.startsWith("XIREFUSED")) return json(401, { status: 401, message: "Unauthorized" });
    const match = /^\/customers\/self\/domains\/([^/?]+)$/.exec(req.url ?? "");
    if (req.method !== "GET" || !match) return json(404, { status: 404, message: "Not found" });
    const domain = decodeURIComponent(match[1]!);
    if (domain === "missing.cloudonix.test") return json(404, { status: 404, message: "Domain not found" });
    json(200, { id: 7, domain, uuid: mockDomainUuid(domain), active: true, profile: {}, defaultApplication: null });
  });
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      // Another test run on this machine serves the same stateless answers.
      if (err.code === "EADDRINUSE") resolve(null);
      else reject(err);
    });
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
