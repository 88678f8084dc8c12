import { describe, it } from "vitest";
import { ALWAYS, campaignWorld, contactsCsv } from "./helpers/campaign-fixture";
import { createTenantFixture, type TenantFixture } from "./helpers/fixtures";

/* The do-not-call list loaded from a file, through the Worker: refusals by line, storage, idempotence, tenants kept apart, campaigns told. */

const CSV = { "content-type": "text/csv" };
const upload = (t: TenantFixture, text: string, query = "") => t.asAdmin("POST", `/api/do-not-call/upload${query}`, text, CSV);
const listed = async (t: TenantFixture) => ((await t.asAdmin("GET", "/api/do-not-call?limit=500")).body.items as { number: string; note: string; createdAt: string }[]).map(({ number, note }) => [number, note]);

const GOOD = ["phone,reason", "+1 (415) 555-0100,asked by phone", "0014155550101,", "14155550102,lawyer's letter", "+14155550100,again"].join("\r\n");

describe("do-not-call upload", () => {
  it("refuses a file with broken rows, listing each by line, and stores nothing; ?skipInvalid=true adds the rest", async ({ expect }) => {
    const t = await createTenantFixture("dnc");
    const file = ["number,note", "+14155550100,fine", "555,too short", "+14155550101,a,b", `+14155550102,${"x".repeat(201)}`, "call me,maybe"].join("\n");
    const refused = await upload(t, file);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("INVALID_NUMBERS");
    expect(refused.body.error.message).toContain("4 of 5 rows are not valid (line 3, number:");
    expect(refused.body.error.details.errors.map((e: { line: number; field: string | null }) => [e.line, e.field])).toEqual([
      [3, "number"],
      [4, null],
      [5, "note"],
      [6, "number"],
    ]);
    expect(refused.body.error.details).toMatchObject({ errorCount: 4, listed: 4 });
    expect(await listed(t)).toEqual([]);

    const partial = await upload(t, file, "?skipInvalid=true");
    expect(partial.status).toBe(200);
    expect(partial.body).toMatchObject({ rows: 5, added: 1, alreadyListed: 0, merged: 0, invalid: 4 });
    expect(partial.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 5, 6]);
    expect(await listed(t)).toEqual([["+14155550100", "fine"]]);
  });

  it("stores a good file's numbers in E.164 with their notes, merging duplicates; uploading it again changes nothing", async ({ expect }) => {
    const t = await createTenantFixture("dnc");
    // Already on the list: not an error, and left as it was.
    await t.asAdmin("POST", "/api/do-not-call", { numbers: ["+14155550102"], note: "added by hand" });
    const first = await upload(t, GOOD);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ rows: 4, added: 2, alreadyListed: 1, merged: 1, invalid: 0, campaignsTold: 0, errors: [] });
    const expected = [
      ["+14155550100", "asked by phone"],
      ["+14155550101", ""],
      ["+14155550102", "added by hand"],
    ];
    expect(await listed(t)).toEqual(expected);
    const before = (await t.asAdmin("GET", "/api/do-not-call")).body.items;

    const again = await upload(t, GOOD);
    expect(again.body).toMatchObject({ rows: 4, added: 0, alreadyListed: 3, merged: 1, invalid: 0 });
    expect((await t.asAdmin("GET", "/api/do-not-call")).body.items).toEqual(before);
    // A plain text file, one number a line, no header.
    const text = await t.asAdmin("POST", "/api/do-not-call/upload", "+14155550103\n+14155550100\n", { "content-type": "text/plain" });
    expect(text.body).toMatchObject({ rows: 2, added: 1, alreadyListed: 1 });
    expect((await listed(t)).map(([n]) => n)).toEqual(["+14155550100", "+14155550101", "+14155550102", "+14155550103"]);
  });

  it("keeps tenants apart: another tenant's upload neither sees nor changes this tenant's list", async ({ expect }) => {
    const a = await createTenantFixture("dnc");
    const b = await createTenantFixture("dnc");
    await upload(a, GOOD);
    const theirs = await upload(b, "+14155550100,theirs\n+14155550199");
    // Numbers on A's list are new to B's.
    expect(theirs.body).toMatchObject({ added: 2, alreadyListed: 0 });
    expect(await listed(b)).toEqual([
      ["+14155550100", "theirs"],
      ["+14155550199", ""],
    ]);
    expect(await listed(a)).toEqual([
      ["+14155550100", "asked by phone"],
      ["+14155550101", ""],
      ["+14155550102", "lawyer's letter"],
    ]);
    expect((await b.asAdmin("DELETE", `/api/do-not-call/${encodeURIComponent("+14155550101")}`)).status).toBe(404);
    expect(await listed(a)).toHaveLength(3);
  });

  it("refuses what is no list: another type, an empty file, too many rows or bytes, a read-only user", async ({ expect }) => {
    const t = await createTenantFixture("dnc");
    expect((await t.asAdmin("POST", "/api/do-not-call/upload", { numbers: ["+14155550100"] })).body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect((await upload(t, "phone\n")).body.error).toMatchObject({ code: "NO_NUMBERS", message: "The file holds no valid number" });
    const tooMany = await upload(t, Array.from({ length: 100_001 }, (_, i) => `+1646${String(1_000_000 + i)}`).join("\n"));
    expect([tooMany.status, tooMany.body.error.code]).toEqual([413, "TOO_MANY_NUMBERS"]);
    const tooBig = await upload(t, `+14155550100,${"x".repeat(17 * 1024 * 1024)}`);
    expect([tooBig.status, tooBig.body.error.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
    expect((await t.asViewer("POST", "/api/do-not-call/upload", "+14155550100", CSV)).status).toBe(403);
    expect(await listed(t)).toEqual([]);
  });

  it("marks an open campaign's contacts with the uploaded numbers as do-not-call, as adding one does", { timeout: 60_000 }, async ({ expect }) => {
    const w = await campaignWorld();
    const campaign = (await w.t.asAdmin("POST", "/api/campaigns", { name: "spring", target: { type: "group", id: w.group.id }, callerId: "+14155550100", callingWindow: ALWAYS })).body;
    const numbers = ["+17185550100", "+17185550101", "+17185550102", "+17185550103"];
    expect((await w.t.asAdmin("PUT", `/api/campaigns/${campaign.id}/contacts`, contactsCsv(numbers), CSV)).body).toMatchObject({ imported: 4, doNotCall: 0 });
    // Another tenant's upload of the same numbers does not reach this tenant's campaign.
    const other = await createTenantFixture("dnc");
    expect((await upload(other, numbers.join("\n"))).body.campaignsTold).toBe(0);

    const res = await upload(w.t, `phone\n${numbers[1]}\n1 718 555 0103\n+19175550000`);
    expect(res.body).toMatchObject({ added: 3, campaignsTold: 1 });
    const progress = (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/progress`)).body;
    expect(progress).toMatchObject({ contacts: 4, doNotCall: 2, remaining: 2 });
    const results = (await w.t.asAdmin("GET", `/api/campaigns/${campaign.id}/results?limit=10`)).body.items;
    expect(results.map((c: { number: string; state: string }) => [c.number, c.state])).toEqual([
      [numbers[0], "pending"],
      [numbers[1], "dnc"],
      [numbers[2], "pending"],
      [numbers[3], "dnc"],
    ]);
  });
});
