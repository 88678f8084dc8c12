import { describe, it } from "vitest";
import { createApp } from "../../workers/app";
import { registeredRoutes } from "../../workers/openapi/registry";
import { call } from "./helpers/fixtures";

/** Every route the app serves, as "METHOD /path/{param}". */
function servedRoutes(): string[] {
  const out = new Set<string>();
  for (const route of createApp().routes) {
    // The benchmarks' routes (/__bench) answer 404 in production: not part of the API.
    if (route.method === "ALL" || route.path.endsWith("*") || route.path.startsWith("/__bench")) continue;
    const path = route.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g, "{$1}").replace(/(.)\/$/, "$1");
    out.add(`${route.method.toLowerCase()} ${path}`);
  }
  return [...out].sort();
}

describe("GET /api/openapi.json", () => {
  it("is an OpenAPI 3.1 document that anyone can fetch", async ({ expect }) => {
    const res = await call(null, "GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(res.body.servers).toEqual([{ url: "https://router.test" }]);
    expect(res.body.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("documents every route the Worker serves", async ({ expect }) => {
    const documented = new Set(registeredRoutes().map((r) => `${r.method} ${r.path}`));
    const undocumented = servedRoutes().filter((route) => !documented.has(route));
    expect(undocumented).toEqual([]);
    const doc = (await call(null, "GET", "/api/openapi.json")).body;
    const inDoc = Object.entries(doc.paths).flatMap(([path, ops]: [string, any]) => Object.keys(ops).map((m) => `${m} ${path}`));
    for (const route of servedRoutes()) expect(inDoc, route).toContain(route);
  });

  it("describes request bodies, parameters, responses and errors from the validating schemas", async ({ expect }) => {
    const doc = (await call(null, "GET", "/api/openapi.json")).body;
    const create = doc.paths["/api/voice-agents"].post;
    const body = create.requestBody.content["application/json"].schema;
    expect(body.required).toEqual(expect.arrayContaining(["name", "provider", "serviceValue"]));
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.weight).toMatchObject({ type: "integer", minimum: 1, maximum: 1000 });
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(["201", "400", "401", "403", "409", "415"]));
    expect(create.responses["201"].content["application/json"].schema.properties).toHaveProperty("hasPassword");
    expect(create.responses["201"].content["application/json"].schema.properties).not.toHaveProperty("password");
    expect(create["x-required-role"]).toBe("admin");

    const list = doc.paths["/api/voice-agents"].get;
    const params = Object.fromEntries(list.parameters.map((p: any) => [p.name, p]));
    expect(params.sort.schema.enum).toEqual(["name", "createdAt", "updatedAt", "provider", "weight"]);
    expect(params.limit).toMatchObject({ in: "query", required: false });
    expect(params.cursor.required).toBe(false);

    const get = doc.paths["/api/voice-agents/{id}"].get;
    expect(get.parameters).toEqual([expect.objectContaining({ name: "id", in: "path", required: true })]);
    expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(["200", "401", "404"]));
    expect(doc.paths["/api/voice-agents/{id}"].delete.responses).toHaveProperty("204");
    expect(doc.paths["/api/auth/login"].post.security).toEqual([]);
    expect(doc.paths["/api/auth/login"].post.responses).toHaveProperty("429");
    const ids = Object.values(doc.paths).flatMap((ops: any) => Object.values(ops).map((op: any) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
