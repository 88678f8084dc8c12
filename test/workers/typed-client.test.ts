import { exports } from "cloudflare:workers";
import { hc } from "hono/client";
import { describe, it } from "vitest";
import type { AppType } from "../../workers/routes/api";
import { createTenantFixture } from "./helpers/fixtures";

describe("the typed client (hc<AppType>)", () => {
  it("calls the API with typed paths, bodies and responses", async ({ expect }) => {
    const t = await createTenantFixture("hc");
    const client = hc<AppType>("https://router.test", {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(input, init),
      headers: { authorization: `Bearer ${t.admin.token}` },
    });
    const created = await client.api["voice-agents"].$post({ json: { name: "Typed", provider: "vapi", serviceValue: "+12125550199" } });
    expect(created.status).toBe(201);
    const agent = await created.json();
    const fetched = await client.api["voice-agents"][":id"].$get({ param: { id: agent.id } });
    const body = await fetched.json();
    // Typed fields: a compile error here means AppType lost the response types.
    const name: string = body.name;
    const hasPassword: boolean = body.hasPassword;
    expect({ name, hasPassword }).toEqual({ name: "Typed", hasPassword: false });
    const page = await (await client.api["voice-agents"].$get({ query: { limit: "10" } })).json();
    expect(page.items.map((a) => a.id)).toEqual([agent.id]);
  });
});
