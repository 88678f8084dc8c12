import { describe, it } from "vitest";
import { createTenantFixture, type TenantFixture } from "./helpers/fixtures";

const trunk = (t: TenantFixture, name: string, extra: Record<string, unknown> = {}) => t.asAdmin("POST", "/api/trunks", { name, ...extra }).then((r) => r.body);

describe("trunks", () => {
  it("creates, reads, updates and deletes a trunk", async ({ expect }) => {
    const t = await createTenantFixture("trk");
    const res = await t.asAdmin("POST", "/api/trunks", { name: "carrier-a", description: "Main PSTN", callerIdOverride: "+1 415 555 0100" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "carrier-a", description: "Main PSTN", callerIdOverride: "+14155550100", enabled: true, version: 1 });
    expect((await t.asViewer("GET", `/api/trunks/${res.body.id}`)).body).toEqual(res.body);
    const upd = await t.asAdmin("PUT", `/api/trunks/${res.body.id}`, { callerIdOverride: null, enabled: false, version: 1 });
    expect(upd.body).toMatchObject({ callerIdOverride: null, enabled: false, version: 2 });
    expect((await t.asAdmin("PUT", `/api/trunks/${res.body.id}`, { description: "x", version: 1 })).status).toBe(409);
    expect((await t.asViewer("GET", "/api/trunks?enabled=false")).body.items).toHaveLength(1);
    expect((await t.asAdmin("DELETE", `/api/trunks/${res.body.id}`)).status).toBe(204);
  });

  it.for([
    ["a name with a space", { name: "carrier a" }, "name"],
    ["a name with a comma", { name: "a,b" }, "name"],
    ["an empty name", { name: "" }, "name"],
    ["a caller ID that is not a number", { name: "c", callerIdOverride: "Acme" }, "callerIdOverride"],
  ] as const)("refuses %s", async ([, body, path], { expect }) => {
    const t = await createTenantFixture("trk");
    const res = await t.asAdmin("POST", "/api/trunks", body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
  });

  it("refuses a duplicate name, and deleting a trunk an outbound rule uses (naming the rule)", async ({ expect }) => {
    const t = await createTenantFixture("trk");
    const a = await trunk(t, "carrier-a");
    expect((await t.asAdmin("POST", "/api/trunks", { name: "carrier-a" })).status).toBe(409);
    const rule = (await t.asAdmin("POST", "/api/outbound-rules", { name: "UK", destinationPrefix: "+44", trunkIds: [a.id] })).body;
    const res = await t.asAdmin("DELETE", `/api/trunks/${a.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("IN_USE");
    expect(res.body.error.message).toContain('"UK"');
    expect(res.body.error.message).toContain(rule.id);
  });
});

describe("outbound rules", () => {
  it("creates a rule with normalised prefix and caller patterns and an ordered trunk list", async ({ expect }) => {
    const t = await createTenantFixture("orl");
    const [a, b] = [await trunk(t, "carrier-a"), await trunk(t, "carrier-b")];
    const res = await t.asAdmin("POST", "/api/outbound-rules", { name: "UK", destinationPrefix: "+44*", callerPatterns: ["+1 415 555 0100", "+1555*"], trunkIds: [b.id, a.id], priority: 5 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "UK", destinationPrefix: "44", callerPatterns: ["14155550100", "1555*"], trunkIds: [b.id, a.id], priority: 5, enabled: true, version: 1 });
    const everything = await t.asAdmin("POST", "/api/outbound-rules", { destinationPrefix: "", trunkIds: [a.id] });
    expect(everything.body).toMatchObject({ destinationPrefix: "", callerPatterns: [] });
    expect((await t.asViewer("GET", `/api/outbound-rules?trunkId=${b.id}`)).body.items.map((r: any) => r.name)).toEqual(["UK"]);
    expect((await t.asViewer("GET", "/api/outbound-rules")).body.items.map((r: any) => r.destinationPrefix)).toEqual(["", "44"]);
  });

  it.for([
    ["no trunks", { destinationPrefix: "44", trunkIds: [] }, "trunkIds"],
    ["a repeated trunk", { destinationPrefix: "44", trunkIds: ["trk_a", "trk_a"] }, "trunkIds"],
    ["a prefix with letters", { destinationPrefix: "44abc", trunkIds: ["trk_a"] }, "destinationPrefix"],
    ["a bad caller pattern", { destinationPrefix: "44", callerPatterns: ["+1*5"], trunkIds: ["trk_a"] }, "callerPatterns.0"],
    ["no prefix at all", { trunkIds: ["trk_a"] }, "destinationPrefix"],
  ] as const)("refuses %s", async ([, body, path], { expect }) => {
    const t = await createTenantFixture("orl");
    const res = await t.asAdmin("POST", "/api/outbound-rules", body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
  });

  it("answers 404 naming trunks that are not the tenant's", async ({ expect }) => {
    const t = await createTenantFixture("orl");
    const a = await trunk(t, "carrier-a");
    const res = await t.asAdmin("POST", "/api/outbound-rules", { destinationPrefix: "44", trunkIds: [a.id, "trk_other"] });
    expect(res.status).toBe(404);
    expect(res.body.error.details.missing).toEqual(["trk_other"]);
  });

  it("refuses duplicates and rules another rule makes unreachable", async ({ expect }) => {
    const t = await createTenantFixture("orl");
    const a = await trunk(t, "carrier-a");
    const any = (await t.asAdmin("POST", "/api/outbound-rules", { name: "UK all", destinationPrefix: "44", trunkIds: [a.id], priority: 10 })).body;
    const dup = await t.asAdmin("POST", "/api/outbound-rules", { destinationPrefix: "+44", trunkIds: [a.id] });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details).toMatchObject({ reason: "duplicate", conflictingRule: { id: any.id } });
    const shadowed = await t.asAdmin("POST", "/api/outbound-rules", { destinationPrefix: "44", callerPatterns: ["+1555*"], trunkIds: [a.id], priority: 20 });
    expect(shadowed.status).toBe(409);
    expect(shadowed.body.error.details.reason).toBe("shadowed");
    expect(shadowed.body.error.message).toContain("UK all");
    const first = await t.asAdmin("POST", "/api/outbound-rules", { destinationPrefix: "44", callerPatterns: ["+1555*"], trunkIds: [a.id], priority: 5 });
    expect(first.status).toBe(201);
    const lower = await t.asAdmin("PUT", `/api/outbound-rules/${first.body.id}`, { priority: 50 });
    expect(lower.status).toBe(409);
  });

  it("updates with a version check and deletes", async ({ expect }) => {
    const t = await createTenantFixture("orl");
    const [a, b] = [await trunk(t, "carrier-a"), await trunk(t, "carrier-b")];
    const rule = (await t.asAdmin("POST", "/api/outbound-rules", { destinationPrefix: "1", trunkIds: [a.id] })).body;
    const res = await t.asAdmin("PUT", `/api/outbound-rules/${rule.id}`, { trunkIds: [b.id, a.id], version: 1 });
    expect(res.body).toMatchObject({ trunkIds: [b.id, a.id], version: 2 });
    expect((await t.asAdmin("PUT", `/api/outbound-rules/${rule.id}`, { trunkIds: [a.id], version: 1 })).status).toBe(409);
    expect((await t.asAdmin("DELETE", `/api/outbound-rules/${rule.id}`)).status).toBe(204);
    expect((await t.asAdmin("DELETE", `/api/trunks/${a.id}`)).status).toBe(204);
  });
});
