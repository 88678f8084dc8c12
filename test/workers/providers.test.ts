import { describe, it } from "vitest";
import { call, createTenantFixture } from "./helpers/fixtures";

describe("GET /api/providers", () => {
  it("lists Cloudonix's provider ids with names and what their service value is", async ({ expect }) => {
    const t = await createTenantFixture("prv");
    const res = await t.asViewer("GET", "/api/providers");
    expect(res.status).toBe(200);
    expect(res.body.providers.length).toBe(45);
    expect(res.body.providers.filter((p: { kind: string }) => p.kind !== "service").map((p: { id: string }) => p.id)).toEqual(["sip", "websocket", "phone"]);
    expect(res.body.providers).toContainEqual(expect.objectContaining({ id: "elevenlabs", name: "ElevenLabs", valueKind: "e164" }));
    expect(res.body.providers.find((p: any) => p.id === "retell-tls").help).toMatch(/E\.164.*TLS/);
    expect(res.body.aliases).toMatchObject({ "11labs": "elevenlabs" });
    expect(res.body.providers.map((p: any) => p.id)).not.toContain("11labs");
  });

  it("needs a signed-in user", async ({ expect }) => {
    expect((await call(null, "GET", "/api/providers")).status).toBe(401);
  });
});
