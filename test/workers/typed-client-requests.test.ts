import { hc } from "hono/client";
import { describe, it } from "vitest";
import type { AppType } from "../../workers/routes/api";

/*
 * Request types come from the routes' declarations: tsc (tsconfig.test.json) checks the lines
 * below, so a route that stops typing its body or query fails the type check. Nothing is sent.
 */
const client = hc<AppType>("https://router.test", { fetch: () => Promise.resolve(new Response(null, { status: 204 })) });

function typedRequests() {
  void client.api["voice-agents"][":id"].$put({ param: { id: "agt_1" }, json: { weight: 2, version: 3 } });
  // @ts-expect-error: `weigth` is no field of the voice agent update body.
  void client.api["voice-agents"][":id"].$put({ param: { id: "agt_1" }, json: { weigth: 2 } });
  // @ts-expect-error: weight is a number.
  void client.api["voice-agents"].$post({ json: { name: "A", provider: "vapi", serviceValue: "+12125550100", weight: "2" } });
  // @ts-expect-error: a trunk needs a name.
  void client.api.trunks.$post({ json: { description: "no name" } });
  // @ts-expect-error: `limt` is no query parameter of the agent list.
  void client.api["voice-agents"].$get({ query: { limt: "10" } });
}

describe("the typed client's request types", () => {
  it("come from the routes (checked by tsc; see the @ts-expect-error lines)", ({ expect }) => {
    expect(typeof typedRequests).toBe("function");
  });
});
