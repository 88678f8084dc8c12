import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, it } from "vitest";
import { exportsTable } from "../../workers/db/schema";
import { runExport } from "../../workers/exports/jobs";
import { cleanExports } from "../../workers/exports/cleanup";
import { connectDb } from "../../workers/db/client";
import { eventually, withDb } from "./helpers/db";
import { BASE } from "./helpers/fixtures";
import { createRecordsFixture, seeded, storeCalls, type RecordsFixture } from "./helpers/records-fixture";
import type { CallSpec } from "./helpers/call-messages";

const T0 = Date.UTC(2026, 4, 10, 8, 0, 0);

function specs(f: RecordsFixture, n: number): CallSpec[] {
  const random = seeded(99);
  return Array.from({ length: n }, (_, i) => ({
    startedAt: T0 + i * 61_000,
    status: random() < 0.7 ? "completed" : "failed",
    from: `+1415555${String(i).padStart(4, "0")}`,
    agentId: f.agents[i % f.agents.length]!,
    groupId: f.groups[i % 2]!,
    answeredAfterSec: random() < 0.6 ? 3 : null,
    durationSec: Math.floor(random() * 300),
  }));
}

/** RFC 4180 reader (quotes, doubled quotes, CRLF inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(cell), (cell = "");
    else if (ch === "\r" && text[i + 1] === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    else cell += ch;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

async function listAll(f: RecordsFixture, query: Record<string, string>): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const res: { body: { items: any[]; nextCursor: string | null } } = await f.asViewer("GET", `/api/call-records?${new URLSearchParams({ ...query, limit: "200", ...(cursor ? { cursor } : {}) })}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error("too many pages");
}

async function finished(f: RecordsFixture, id: string) {
  return eventually(
    async () => {
      const res = await f.asViewer("GET", `/api/exports/${id}`);
      if (res.body.status === "failed") throw new Error(`export failed: ${res.body.error}`);
      return res.body.status === "done" ? res.body : null;
    },
    20_000,
    `export ${id}`,
  );
}

const download = (url: string, headers: Record<string, string> = {}) => exports.default.fetch(`${BASE}${url}`, { headers });

describe("exports", () => {
  it("writes CSV equal to the filtered list, safe to open in a spreadsheet", async ({ expect }) => {
    const f = await createRecordsFixture();
    await storeCalls(f.tenantId, [...specs(f, 230), { startedAt: T0 + 5, status: "completed", from: '=HYPERLINK("http://evil","x")', agentId: f.agents[0]!, groupId: f.groups[0]!, answeredAfterSec: 1, durationSec: 9 }]);
    const filters = { status: "completed", since: new Date(T0).toISOString(), until: new Date(T0 + 200 * 61_000).toISOString() };
    const created = await f.asViewer("POST", "/api/call-records/export", { format: "csv", filters, sort: "durationSec", order: "asc" });
    expect(created.status).toBe(202);
    expect(created.headers.get("location")).toBe(`/api/exports/${created.body.id}`);
    expect(created.body).toMatchObject({ status: "queued", format: "csv", downloadUrl: null, sort: "durationSec", order: "asc" });
    const done = await finished(f, created.body.id);
    const expected = await listAll(f, { ...filters, sort: "durationSec", order: "asc" });
    expect(done).toMatchObject({ status: "done", progress: 1, rowCount: expected.length, totalRows: expected.length });

    const res = await download(done.downloadUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM, for spreadsheets
    expect(Number(res.headers.get("content-length"))).toBe(bytes.length);
    const [header, ...rows] = parseCsv(new TextDecoder().decode(bytes));
    expect(header).toEqual(done.fields);
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => r[col("id")])).toEqual(expected.map((r) => r.id));
    for (const [i, r] of rows.entries()) {
      const e = expected[i]!;
      expect([r[col("from")], r[col("status")], r[col("durationSec")], r[col("startedAt")]]).toEqual([e.from.startsWith("=") ? `'${e.from}` : e.from, e.status, String(e.durationSec), e.startedAt]);
    }
    expect(rows.find((r) => r[col("from")]!.includes("HYPERLINK"))![col("from")]).toBe('\'=HYPERLINK("http://evil","x")');
  });

  it("writes JSON with the chosen fields, attempts included", async ({ expect }) => {
    const f = await createRecordsFixture();
    await storeCalls(f.tenantId, [...specs(f, 40), { startedAt: T0 + 1, agentId: f.agents[1]!, groupId: f.groups[0]!, attempts: [{ targetId: f.agents[1]!, groupId: f.groups[0]!, outcome: "answered" }], answeredAfterSec: 1, durationSec: 5 }]);
    const created = await f.asAdmin("POST", "/api/call-records/export", { format: "json", fields: ["id", "agentId", "attempts"], filters: { agentId: f.agents[1]! } });
    const done = await finished(f, created.body.id);
    const res = await download(`/api/exports/${done.id}/download`, { authorization: `Bearer ${f.viewer.token}` });
    const body = (await res.json()) as { id: string; agentId: string; attempts: unknown[] }[];
    const expected = await listAll(f, { agentId: f.agents[1]! });
    expect(body.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(Object.keys(body[0]!)).toEqual(["id", "agentId", "attempts"]);
    expect(body.find((r) => r.attempts.length === 1)!.attempts[0]).toMatchObject({ targetId: f.agents[1], outcome: "answered" });
  });

  it("streams in fixed-size parts and resumes from its checkpoint after a crash, byte for byte", async ({ expect }) => {
    const f = await createRecordsFixture();
    // ~16 KB of routing trace per record: 700 records make three 5 MiB parts' worth.
    const trace = { picks: Array.from({ length: 160 }, (_, i) => ({ stage: `stage ${i}`, skipped: "x".repeat(80) })) };
    await storeCalls(
      f.tenantId,
      specs(f, 700).map((s) => ({ ...s, decision: trace })),
    );
    const id = `exp_test${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}`;
    await withDb((db) =>
      db.insert(exportsTable).values({
        id,
        tenantId: f.tenantId,
        format: "csv",
        filters: { filters: {}, sort: "startedAt", order: "asc" },
        fields: ["id", "from", "routing"],
        totalRows: 700,
        objectKey: `exports/${f.tenantId}/${id}.csv`,
      }),
    );
    // A bucket that fails on the second part, as a Worker dying mid-export would.
    let uploaded = 0;
    const failing = {
      ...env,
      EXPORTS: {
        createMultipartUpload: async (key: string, options: R2MultipartOptions) => {
          const upload = await env.EXPORTS.createMultipartUpload(key, options);
          return {
            uploadId: upload.uploadId,
            uploadPart: async (n: number, value: Uint8Array) => {
              if (++uploaded === 2) throw new Error("worker died");
              return upload.uploadPart(n, value);
            },
          };
        },
      },
    } as unknown as typeof env;
    const handle = await connectDb(env.HYPERDRIVE);
    try {
      await expect(runExport(failing, handle.db, { kind: "export", exportId: id, tenantId: f.tenantId })).rejects.toThrow("worker died");
      const [midway] = await handle.db.select().from(exportsTable).where(eq(exportsTable.id, id));
      expect([midway!.status, midway!.parts.length]).toEqual(["running", 1]);
      expect(midway!.rowCount).toBeGreaterThan(200); // the rows inside the first 5 MiB part
      // Redelivered: resumes after the first part and finishes.
      expect(await runExport(env, handle.db, { kind: "export", exportId: id, tenantId: f.tenantId })).toBe("done");
    } finally {
      await handle.close();
    }
    const done = (await f.asViewer("GET", `/api/exports/${id}`)).body;
    expect(done).toMatchObject({ status: "done", rowCount: 700 });
    expect(done.sizeBytes).toBeGreaterThan(10 * 1024 * 1024);
    const rows = parseCsv(new TextDecoder().decode(await (await download(done.downloadUrl)).arrayBuffer()));
    const expected = await listAll(f, { sort: "startedAt", order: "asc" });
    expect(rows.slice(1).map((r) => r[0])).toEqual(expected.map((r) => r.id));
    expect(rows.slice(1).every((r) => JSON.parse(r[2]!).picks.length === 160)).toBe(true);
  });

  it("keeps exports to their tenant, honours ranges, and expires them", async ({ expect }) => {
    const a = await createRecordsFixture();
    const b = await createRecordsFixture();
    await storeCalls(a.tenantId, specs(a, 10));
    const created = await a.asViewer("POST", "/api/call-records/export", {});
    const done = await finished(a, created.body.id);
    expect((await b.asViewer("GET", `/api/exports/${done.id}`)).status).toBe(404);
    expect((await download(`/api/exports/${done.id}/download`, { authorization: `Bearer ${b.viewer.token}` })).status).toBe(404);
    expect((await download(`/api/exports/${done.id}/download?token=${"9".repeat(10)}.${"A".repeat(43)}`)).status).toBe(401);
    expect((await download(`/api/exports/${done.id}/download`)).status).toBe(401);
    const ranged = await download(done.downloadUrl, { range: "bytes=0-9" });
    expect([ranged.status, ranged.headers.get("content-range"), (await ranged.arrayBuffer()).byteLength]).toEqual([206, `bytes 0-9/${done.sizeBytes}`, 10]);

    await withDb((db) =>
      db
        .update(exportsTable)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(exportsTable.id, done.id)),
    );
    await withDb((db) => cleanExports(env, db));
    expect((await a.asViewer("GET", `/api/exports/${done.id}`)).body).toMatchObject({ status: "expired", downloadUrl: null });
    expect((await download(done.downloadUrl)).status).toBe(410);
    expect(await env.EXPORTS.head(`exports/${a.tenantId}/${done.id}.csv`)).toBeNull();
  });

  it("stops serving an export at its expiry, before the cleanup runs, and the cleanup deletes it a week later", async ({ expect }) => {
    const f = await createRecordsFixture();
    await storeCalls(f.tenantId, specs(f, 3));
    const done = await finished(f, (await f.asViewer("POST", "/api/call-records/export", {})).body.id);
    await withDb((db) =>
      db
        .update(exportsTable)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(exportsTable.id, done.id)),
    );
    expect((await f.asViewer("GET", `/api/exports/${done.id}`)).body).toMatchObject({ status: "expired", downloadUrl: null });
    const gone = await download(done.downloadUrl);
    expect([gone.status, ((await gone.json()) as { error: { code: string } }).error.code]).toEqual([410, "EXPORT_EXPIRED"]);
    const viaBearer = await download(`/api/exports/${done.id}/download`, { authorization: `Bearer ${f.viewer.token}` });
    expect(viaBearer.status).toBe(410);

    await withDb((db) => cleanExports(env, db));
    expect((await f.asViewer("GET", `/api/exports/${done.id}`)).body.status).toBe("expired");
    await withDb((db) =>
      db
        .update(exportsTable)
        .set({ updatedAt: new Date(Date.now() - 8 * 86_400_000) })
        .where(eq(exportsTable.id, done.id)),
    );
    const cleaned = await withDb((db) => cleanExports(env, db));
    expect(cleaned.deleted).toBeGreaterThanOrEqual(1);
    expect((await f.asViewer("GET", `/api/exports/${done.id}`)).status).toBe(404);
  });

  it("lets only one of several simultaneous requests take the tenant's last export slot", async ({ expect }) => {
    const f = await createRecordsFixture();
    await withDb((db) => db.insert(exportsTable).values([1, 2].map((n) => ({ id: `exp_busy${n}${crypto.randomUUID().slice(0, 8)}`, tenantId: f.tenantId, format: "csv" as const, filters: {}, fields: ["id"], status: "queued" as const }))));
    const answers = await Promise.all(Array.from({ length: 4 }, () => f.asViewer("POST", "/api/call-records/export", {})));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 429, 429, 429]);
  });

  it("checks its request: fields, filters, and how many run at once", async ({ expect }) => {
    const f = await createRecordsFixture();
    const bad = await f.asViewer("POST", "/api/call-records/export", { format: "xlsx", fields: ["secret"], filters: { status: "lost" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["fields.0", "filters.status", "format"]);
    await withDb((db) => db.insert(exportsTable).values([1, 2, 3].map((n) => ({ id: `exp_busy${n}${crypto.randomUUID().slice(0, 8)}`, tenantId: f.tenantId, format: "csv" as const, filters: {}, fields: ["id"], status: "queued" as const }))));
    const busy = await f.asViewer("POST", "/api/call-records/export", {});
    expect([busy.status, busy.body.error.code, busy.headers.get("retry-after")]).toEqual([429, "TOO_MANY_EXPORTS", "30"]);
  });
});
