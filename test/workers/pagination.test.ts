import { describe, it } from "vitest";
import { createAgent, createTenantFixture, type TenantFixture } from "./helpers/fixtures";

async function pageAll(t: TenantFixture, query: string, limit: number): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const res: any = await t.asViewer("GET", `/api/voice-agents?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error("too many pages");
}

describe("voice agent lists", () => {
  it.for([
    ["name", "asc"],
    ["name", "desc"],
    ["createdAt", "desc"],
    ["weight", "asc"],
    ["provider", "desc"],
  ] as const)("page by %s %s with no repeats and no gaps, ties broken by id", async ([sort, order], { expect }) => {
    const t = await createTenantFixture("pag");
    const providers = ["retell", "vapi", "synthflow"];
    for (let i = 0; i < 17; i++) await createAgent(t, { name: `agent ${String(i % 5).padStart(2, "0")}-${i}`, weight: (i % 3) + 1, provider: providers[i % 3] });
    const full = (await t.asViewer("GET", `/api/voice-agents?sort=${sort}&order=${order}&limit=1000`)).body.items;
    expect(full).toHaveLength(17);
    const paged = await pageAll(t, `sort=${sort}&order=${order}`, 4);
    expect(paged.map((a) => a.id)).toEqual(full.map((a: any) => a.id));
    const values = paged.map((a) => a[sort]);
    const sorted = [...values].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    if (order === "desc") sorted.reverse();
    if (sort !== "name") expect(values).toEqual(sorted);
  });

  it("keeps pages stable while agents are added and removed between requests", async ({ expect }) => {
    const t = await createTenantFixture("pag");
    const originals = [];
    for (let i = 0; i < 10; i++) originals.push(await createAgent(t, { name: `b-${i}` }));
    const first = await t.asViewer("GET", "/api/voice-agents?limit=4");
    await createAgent(t, { name: "a-new-first" });
    await t.asAdmin("DELETE", `/api/voice-agents/${originals[1].id}`);
    const rest = [];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const page = await t.asViewer("GET", `/api/voice-agents?limit=4&cursor=${cursor}`);
      rest.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    const names = [...first.body.items, ...rest].map((a: any) => a.name);
    expect(names).toEqual(["b-0", "b-1", "b-2", "b-3", "b-4", "b-5", "b-6", "b-7", "b-8", "b-9"]);
  });

  it("filters by provider (alias too), enabled, tags and group, and searches names, numbers and tags", async ({ expect }) => {
    const t = await createTenantFixture("pag");
    const a = await createAgent(t, { name: "Eleven EU", provider: "elevenlabs", serviceValue: "+442071234567", tags: ["eu", "sales"] });
    const b = await createAgent(t, { name: "Retell US", provider: "retell", tags: ["us", "sales"], enabled: false });
    await createAgent(t, { name: "Vapi US", provider: "vapi", tags: ["us"] });
    const group = (await t.asAdmin("POST", "/api/agent-groups", { name: "G", members: [{ agentId: b.id }] })).body;
    const names = (query: string) => t.asViewer("GET", `/api/voice-agents?${query}`).then((r) => r.body.items.map((x: any) => x.name));
    expect(await names("provider=11labs")).toEqual(["Eleven EU"]);
    expect(await names("enabled=false")).toEqual(["Retell US"]);
    expect(await names("tags=sales")).toEqual(["Eleven EU", "Retell US"]);
    expect(await names("tags=SALES,us")).toEqual(["Retell US"]);
    expect(await names(`groupId=${group.id}`)).toEqual(["Retell US"]);
    expect(await names("q=us")).toEqual(["Retell US", "Vapi US"]);
    expect(await names("q=2071234")).toEqual(["Eleven EU"]);
    expect(await names("q=sal")).toEqual(["Eleven EU", "Retell US"]);
    expect(await names("q=50%25")).toEqual([]);
    expect(a.id).toBeTruthy();
  });

  it.for([
    ["an unknown sort", "sort=colour", 400],
    ["a bad order", "order=up", 400],
    ["a limit of 0", "limit=0", 400],
    ["a limit over 1000", "limit=1001", 400],
    ["an unknown provider", "provider=twilio", 400],
    ["enabled=maybe", "enabled=maybe", 400],
    ["a cursor that is not ours", "cursor=bm90LWEtY3Vyc29y", 400],
    ["a cursor with symbols", "cursor=%7B%7D", 400],
  ] as const)("refuses %s", async ([, query, status], { expect }) => {
    const t = await createTenantFixture("pag");
    const res = await t.asViewer("GET", `/api/voice-agents?${query}`);
    expect(res.status).toBe(status);
  });

  it("refuses a cursor reused with another sort or other filters, and says why", async ({ expect }) => {
    const t = await createTenantFixture("pag");
    for (let i = 0; i < 3; i++) await createAgent(t);
    const first = await t.asViewer("GET", "/api/voice-agents?limit=1&sort=name");
    const otherSort = await t.asViewer("GET", `/api/voice-agents?limit=1&sort=weight&cursor=${first.body.nextCursor}`);
    expect(otherSort.status).toBe(400);
    expect(otherSort.body.error).toMatchObject({ code: "INVALID_CURSOR" });
    expect(otherSort.body.error.message).toMatch(/sort=name/);
    const otherFilter = await t.asViewer("GET", `/api/voice-agents?limit=1&sort=name&enabled=true&cursor=${first.body.nextCursor}`);
    expect(otherFilter.status).toBe(400);
    expect(otherFilter.body.error.message).toMatch(/different filters/);
  });
});
