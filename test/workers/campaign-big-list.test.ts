import { describe, it } from "vitest";
import { ALWAYS, campaignWorld } from "./helpers/campaign-fixture";

/* The largest contact list a campaign takes, loaded whole: parsed, checked against the do-not-call list, stored by the runner. */
describe("a 100,000-contact list", () => {
  it("is loaded whole, its do-not-call numbers marked, and read back in pages", { timeout: 120_000 }, async ({ expect }) => {
    const w = await campaignWorld();
    const campaign = (await w.t.asAdmin("POST", "/api/campaigns", { name: "big", target: { type: "group", id: w.group.id }, callerId: "+14155550100", callingWindow: ALWAYS })).body;
    const numbers = Array.from({ length: 100_000 }, (_, i) => `+1718${String(1_000_000 + i)}`);
    await w.t.asAdmin("POST", "/api/do-not-call", { numbers: [numbers[0], numbers[99_999]] });
    const csv = ["phone,timezone,account", ...numbers.map((n, i) => `${n},${i % 2 ? "America/Chicago" : ""},A-${i}`)].join("\n");
    const started = Date.now();
    const res = await w.t.asAdmin("PUT", `/api/campaigns/${campaign.id}/contacts`, csv, { "content-type": "text/csv" });
    const took = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rows: 100_000, imported: 100_000, merged: 0, invalid: 0, doNotCall: 2 });
    console.log(`[big-list] 100,000 contacts (${(csv.length / 1e6).toFixed(1)} MB) loaded in ${took} ms`);
    const progress = (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/progress`)).body;
    expect(progress).toMatchObject({ contacts: 100_000, doNotCall: 2, remaining: 99_998, status: "draft" });
    const last = (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/results?after=100000&limit=5`)).body;
    expect(last.items.map((c: { number: string; state: string }) => [c.number, c.state])).toEqual([[numbers[99_999], "dnc"]]);
    expect(last.nextAfter).toBeNull();
  });
});
