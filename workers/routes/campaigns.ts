import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { MAX_LISTED_ERRORS, parseContacts } from "../campaigns/contacts";
import { progressDto } from "../campaigns/progress-dto";
import { runnerConfig } from "../campaigns/runner-config";
import type { CampaignProgress, ContactResult } from "../campaigns/runner-types";
import { deleteCampaign, doNotCallAmong, findCampaign, insertCampaign, listCampaigns, syncCampaignStatus, targetAgents, updateCampaign, type CampaignRow, type NewCampaignRow } from "../db/repos/campaigns";
import { findTenant } from "../db/repos/tenants";
import type { Executor } from "../db/executor";
import { assertTargetExists, assertTrunksExist } from "../db/repos/references";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { CSV_BOM, csvCell } from "../analytics/csv";
import { commitChange } from "../lib/change";
import { etag } from "../lib/concurrency";
import { uniqueOr409 } from "../lib/db-conflicts";
import { AppError, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { readTextUpload } from "../lib/text-upload";
import { saveVersioned } from "../lib/versioned-change";
import { IdParams } from "../schemas/common";
import {
  CampaignPage,
  CampaignProgressSchema,
  CampaignSchema,
  ClockBody,
  CreateCampaignBody,
  DEFAULT_RETRY_POLICY,
  DEFAULT_WINDOW,
  ListCampaignsQuery,
  ResultsPage,
  ResultsQuery,
  UpdateCampaignBody,
  UploadContactsQuery,
  UploadContactsResult,
  type CampaignDto,
} from "../schemas/campaigns";

const route = apiRoutes("Campaigns");

const NAME_INDEX = "campaigns_tenant_name_uq";
const nameTaken = (name: string) => `A campaign named "${name}" already exists in this tenant`;
/** A 100,000-row contact list is a few megabytes; far more is not a contact list. */
const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;
/** Contacts per request to the runner while loading. */
const LOAD_CHUNK = 5_000;

const runner = (c: Context<AppEnv>, row: Pick<CampaignRow, "tenantId" | "id">) => c.env.CAMPAIGN_RUNNER.getByName(`${row.tenantId}:${row.id}`);

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toDto(row: CampaignRow, progress: CampaignProgress | null): CampaignDto {
  return {
    id: row.id,
    name: row.name,
    status: progress?.status ?? row.status,
    target: { type: row.targetType, id: row.targetId },
    callerId: row.callerId,
    trunkId: row.trunkId,
    timezone: row.timezone,
    callingWindow: row.callingWindow,
    maxConcurrent: row.maxConcurrent,
    callsPerMinute: row.callsPerMinute,
    ringTimeoutSec: row.ringTimeoutSec,
    retryPolicy: row.retryPolicy,
    contactCount: row.contactCount,
    progress: progress ? progressDto(progress) : null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const audited = (row: CampaignRow) => ({ ...toDto(row, null), progress: undefined });

/**
 * The runner's figures; the runner is the truth about the status (it completes, or pauses on a
 * refused key, on its own), so MySQL's copy is brought in line when they differ.
 */
async function liveProgress(c: Context<AppEnv>, db: Executor, row: CampaignRow): Promise<CampaignProgress | null> {
  if (row.status === "draft" && row.contactCount === 0) return null;
  const progress = await runner(c, row).progress();
  // Before its start the runner has no settings of its own yet: the campaign's are the limits.
  if (progress.maxConcurrent === 0) Object.assign(progress, { maxConcurrent: row.maxConcurrent, callsPerMinute: row.callsPerMinute });
  if (progress.status !== row.status && !(progress.status === "draft" && row.status !== "draft")) {
    await syncCampaignStatus(db, row.tenantId, row.id, progress.status, progress.finishedAt ? new Date(progress.finishedAt) : null);
  }
  return progress;
}

const versioned = (tenantId: string, id: string) => ({
  change: { entity: "campaign", action: "updated" } as const,
  name: "campaign",
  find: (tx: Executor, lock?: { forUpdate: true }) => findCampaign(tx, tenantId, id, lock),
  audited,
});

async function loadCampaign(c: Context<AppEnv>): Promise<CampaignRow> {
  const row = await findCampaign(await c.get("services").db(), c.get("auth").tenantId, c.req.param("id")!);
  if (!row) throw notFound("Campaign");
  return row;
}

/** The checks a start makes first: something to call, and someone to take the answered calls. */
async function assertStartable(db: Executor, row: CampaignRow): Promise<void> {
  if (row.contactCount === 0) throw new AppError(409, "NO_CONTACTS", "The campaign has no contacts; upload a contact list first");
  const target = await targetAgents(db, row.tenantId, { type: row.targetType, id: row.targetId });
  if (!target.exists) throw new AppError(409, "TARGET_GONE", `The campaign's ${row.targetType} no longer exists; choose another first`);
  if (row.targetType === "group" && !target.enabled) throw new AppError(409, "TARGET_DISABLED", "The campaign's group is disabled: answered calls would reach nobody. Enable it or choose another");
  if (target.agents === 0)
    throw new AppError(409, "TARGET_HAS_NO_AGENTS", row.targetType === "group" ? "The campaign's group has no enabled agents: answered calls would reach nobody. Add agents to it first" : "The campaign's agent is disabled: answered calls would reach nobody");
}

/** Numbers put on the do-not-call list since the upload: the runner's pending contacts checked again. */
async function sweepDoNotCall(c: Context<AppEnv>, db: Executor, row: CampaignRow): Promise<void> {
  const stub = runner(c, row);
  for (let after = 0; ; ) {
    const page = await stub.pendingNumbers(after, 5_000);
    if (!page.length) return;
    const listed = await doNotCallAmong(
      db,
      row.tenantId,
      page.map((p) => p.number),
    );
    if (listed.size) await stub.markDoNotCall([...listed]);
    after = page.at(-1)!.id;
  }
}

async function control(c: Context<AppEnv>, action: "start" | "resume" | "pause" | "stop") {
  const { tenantId } = c.get("auth");
  const id = c.req.param("id")!;
  const db = await c.get("services").db();
  const row = await findCampaign(db, tenantId, id);
  if (!row) throw notFound("Campaign");
  const current = (await liveProgress(c, db, row))?.status ?? row.status;
  const allowed = { start: ["draft"], resume: ["paused"], pause: ["running"], stop: ["draft", "running", "paused"] }[action];
  if (!allowed.includes(current))
    throw new AppError(409, "INVALID_STATE", `A ${current} campaign cannot be ${action === "stop" ? "stopped" : action === "pause" ? "paused" : action === "resume" ? "resumed" : "started"}${action === "start" && current === "paused" ? "; resume it" : ""}`);
  let progress: CampaignProgress;
  if (action === "start" || action === "resume") {
    await assertStartable(db, row);
    const config = await runnerConfig(db, row, new URL(c.req.url).origin);
    await sweepDoNotCall(c, db, row);
    progress = await runner(c, row).start(config);
  } else progress = action === "pause" ? await runner(c, row).pause() : await runner(c, row).stop();
  const verb = { start: "started", resume: "resumed", pause: "paused", stop: "stopped" }[action];
  const saved = await commitChange(c, { entity: "campaign", action: "updated" }, async (tx, audit) => {
    await updateCampaign(tx, tenantId, id, { status: progress.status, ...(action === "start" ? { startedAt: new Date() } : {}), ...(action === "stop" ? { finishedAt: new Date() } : {}) });
    const updated = (await findCampaign(tx, tenantId, id))!;
    audit.record(id, audited(row), audited(updated), `campaign.${verb}`);
    return updated;
  });
  return c.json(toDto(saved, progress));
}

export const campaignsRoutes = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", route("List campaigns", { query: ListCampaignsQuery, response: CampaignPage }), async (c) => {
    const { sort, order, limit, cursor, ...filters } = c.req.valid("query");
    const db = await c.get("services").db();
    const page = await listCampaigns(db, c.get("auth").tenantId, filters, { sort, order, limit, cursor, filters });
    // A campaign under way may have completed (or paused itself) since MySQL last heard: ask its runner.
    const items = await Promise.all(
      page.rows.map(async (row) => {
        if (row.status !== "running" && row.status !== "paused") return audited(row);
        const progress = await liveProgress(c, db, row).catch(() => null);
        return { ...audited(row), status: progress?.status ?? row.status };
      }),
    );
    return c.json({ items, nextCursor: page.nextCursor });
  })
  .post("/", route("Create a campaign (a draft: upload its contacts, then start it)", { auth: "admin", body: CreateCampaignBody, response: CampaignSchema, status: 201, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const db = await c.get("services").db();
    const tenant = await findTenant(db, tenantId);
    const row: NewCampaignRow = {
      id: newId("cmp"),
      tenantId,
      name: input.name,
      status: "draft",
      targetType: input.target.type,
      targetId: input.target.id,
      callerId: input.callerId,
      trunkId: input.trunkId ?? null,
      timezone: input.timezone ?? tenant?.timezone ?? "UTC",
      callingWindow: input.callingWindow ?? DEFAULT_WINDOW,
      maxConcurrent: input.maxConcurrent ?? 10,
      callsPerMinute: input.callsPerMinute ?? 30,
      ringTimeoutSec: input.ringTimeoutSec ?? 30,
      retryPolicy: input.retryPolicy ?? DEFAULT_RETRY_POLICY,
    };
    const created = await commitChange(c, { entity: "campaign", action: "created" }, async (tx, audit) => {
      await assertTargetExists(tx, tenantId, input.target, "target.id");
      if (row.trunkId) await assertTrunksExist(tx, tenantId, [row.trunkId], "trunkId");
      await uniqueOr409(() => insertCampaign(tx, row), NAME_INDEX, nameTaken(input.name), { field: "name" });
      const saved = (await findCampaign(tx, tenantId, row.id!))!;
      audit.record(saved.id, null, audited(saved));
      return saved;
    });
    c.header("ETag", etag(created.version));
    c.header("Location", `/api/campaigns/${created.id}`);
    return c.json(toDto(created, null), 201);
  })
  .get("/:id", route("Get a campaign with its live progress", { params: IdParams, response: CampaignSchema }), async (c) => {
    const row = await loadCampaign(c);
    const progress = await liveProgress(c, await c.get("services").db(), row);
    c.header("ETag", etag(row.version));
    return c.json(toDto(row, progress));
  })
  .get("/:id/progress", route("A campaign's live progress", { params: IdParams, response: CampaignProgressSchema.nullable() }), async (c) => {
    const row = await loadCampaign(c);
    const progress = await liveProgress(c, await c.get("services").db(), row);
    return c.json(progress ? progressDto(progress) : null);
  })
  .put("/:id", route("Change a campaign (only the fields sent; not once stopped or completed)", { auth: "admin", params: IdParams, body: UpdateCampaignBody, response: CampaignSchema, errors: [409] }), async (c) => {
    const input = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const id = c.req.param("id");
    const saved = await saveVersioned(c, {
      ...versioned(tenantId, id),
      version: input.version,
      apply: async (tx, current) => {
        if (current.status === "stopped" || current.status === "completed") throw new AppError(409, "CAMPAIGN_FINISHED", `A ${current.status} campaign cannot be changed; create a new one`);
        const { version: _version, target, ...rest } = input;
        const changes: Partial<NewCampaignRow> = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
        if (target) {
          await assertTargetExists(tx, tenantId, target, "target.id");
          changes.targetType = target.type;
          changes.targetId = target.id;
        }
        if (changes.trunkId) await assertTrunksExist(tx, tenantId, [changes.trunkId], "trunkId");
        if (Object.keys(changes).length === 0) return false;
        await uniqueOr409(() => updateCampaign(tx, tenantId, id, changes), NAME_INDEX, nameTaken(input.name ?? ""), { field: "name" });
        return true;
      },
    });
    const db = await c.get("services").db();
    // A campaign under way dials by the new settings from its next call.
    if (saved.status === "running" || saved.status === "paused") await runner(c, saved).configure(await runnerConfig(db, saved, new URL(c.req.url).origin));
    return c.json(toDto(saved, await liveProgress(c, db, saved)));
  })
  .delete("/:id", route("Delete a campaign and its contacts and results (not while running)", { auth: "admin", params: IdParams, errors: [409] }), async (c) => {
    const { tenantId } = c.get("auth");
    const row = await loadCampaign(c);
    const db = await c.get("services").db();
    const status = (await liveProgress(c, db, row))?.status ?? row.status;
    if (status === "running") throw new AppError(409, "CAMPAIGN_RUNNING", "A running campaign cannot be deleted; pause or stop it first");
    await commitChange(c, { entity: "campaign", action: "deleted" }, async (tx, audit) => {
      await deleteCampaign(tx, tenantId, row.id);
      audit.record(row.id, audited(row), null);
    });
    await runner(c, row).destroy();
    return c.body(null, 204);
  })
  .put(
    "/:id/contacts",
    route("Upload the contact list (CSV: phone, optional timezone, then variables; at most 100,000 rows), replacing any before it; only before the start", {
      auth: "admin",
      params: IdParams,
      query: UploadContactsQuery,
      bodyType: "text/csv",
      response: UploadContactsResult,
      errors: [409, 413],
    }),
    async (c) => {
      const { tenantId } = c.get("auth");
      const row = await loadCampaign(c);
      if (row.status !== "draft") throw new AppError(409, "INVALID_STATE", `Contacts can only be uploaded before the campaign starts (it is ${row.status})`);
      const parsed = parseContacts(await readTextUpload(c, MAX_UPLOAD_BYTES, "contact list"));
      if (!parsed.ok) throw new AppError(parsed.code === "TOO_MANY_CONTACTS" ? 413 : 400, parsed.code, parsed.message, { errors: parsed.errors });
      const skipInvalid = c.req.valid("query").skipInvalid === "true";
      if (parsed.errorCount > 0 && !skipInvalid) {
        const first = parsed.errors[0]!;
        throw new AppError(400, "INVALID_CONTACTS", `${parsed.errorCount} of ${parsed.rows} rows are not valid (line ${first.line}${first.field ? `, ${first.field}` : ""}: ${first.message}); fix them, or send ?skipInvalid=true to load the others`, {
          errorCount: parsed.errorCount,
          errors: parsed.errors,
          listed: Math.min(parsed.errorCount, MAX_LISTED_ERRORS),
        });
      }
      if (parsed.contacts.length === 0) throw new AppError(400, "NO_CONTACTS", "The file holds no valid contact");
      const db = await c.get("services").db();
      const dnc = await doNotCallAmong(
        db,
        tenantId,
        parsed.contacts.map((contact) => contact.number),
      );
      const stub = runner(c, row);
      for (let i = 0; i < parsed.contacts.length; i += LOAD_CHUNK) {
        const chunk = parsed.contacts.slice(i, i + LOAD_CHUNK);
        const loaded = await stub.loadContacts(
          chunk,
          chunk.filter((contact) => dnc.has(contact.number)).map((contact) => contact.number),
          i === 0,
        );
        if (!loaded.ok) throw new AppError(409, "INVALID_STATE", loaded.message ?? "The campaign has started; its contacts cannot change");
      }
      await commitChange(c, { entity: "campaign", action: "updated" }, async (tx, audit) => {
        await updateCampaign(tx, tenantId, row.id, { contactCount: parsed.contacts.length });
        audit.record(row.id, { contactCount: row.contactCount }, { contactCount: parsed.contacts.length, rows: parsed.rows, merged: parsed.merged, invalid: parsed.errorCount, doNotCall: dnc.size }, "campaign.contacts_loaded");
      });
      return c.json({ rows: parsed.rows, imported: parsed.contacts.length, merged: parsed.merged, invalid: parsed.errorCount, doNotCall: dnc.size, errors: parsed.errors });
    },
  )
  .post("/:id/start", route("Start dialling", { auth: "admin", params: IdParams, response: CampaignSchema, errors: [409] }), (c) => control(c, "start"))
  .post("/:id/pause", route("Pause: no new calls from now on; calls in progress finish", { auth: "admin", params: IdParams, response: CampaignSchema, errors: [409] }), (c) => control(c, "pause"))
  .post("/:id/resume", route("Resume a paused campaign where it was", { auth: "admin", params: IdParams, response: CampaignSchema, errors: [409] }), (c) => control(c, "resume"))
  .post("/:id/stop", route("Stop for good: contacts not yet called never will be; calls in progress finish", { auth: "admin", params: IdParams, response: CampaignSchema, errors: [409] }), (c) => control(c, "stop"))
  .get("/:id/results", route("Per-contact results: a JSON page, or every contact as CSV (?format=csv)", { params: IdParams, query: ResultsQuery, response: ResultsPage }), async (c) => {
    const row = await loadCampaign(c);
    const query = c.req.valid("query");
    const stub = runner(c, row);
    if (query.format !== "csv") {
      const limit = query.limit ?? 100;
      const items = await stub.results(query.after ?? 0, limit);
      return c.json({ items: items.map(resultDto), nextAfter: items.length === limit ? items.at(-1)!.id : null });
    }
    const encoder = new TextEncoder();
    let after = 0;
    let headerSent = false;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(`${CSV_BOM}${RESULT_COLUMNS.join(",")}\r\n`));
          return;
        }
        const page = await stub.results(after, 2_000);
        if (!page.length) return controller.close();
        controller.enqueue(encoder.encode(page.map((contact) => resultLine(contact)).join("")));
        after = page.at(-1)!.id;
      },
    });
    return new Response(stream, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="campaign-${row.id}-results.csv"` } });
  })
  .post("/:id/clock", route("Development and tests only: move the campaign's clock (pacing and calling windows read it); 404 in production", { auth: "admin", params: IdParams, body: ClockBody, response: z.object({ now: z.number() }) }), async (c) => {
    if (c.env.ENVIRONMENT === "production") throw notFound("Route");
    const row = await loadCampaign(c);
    return c.json(await runner(c, row).setClock(c.req.valid("json").offsetMs));
  });

function resultDto(contact: ContactResult) {
  return { ...contact, attempts: contact.attempts.map((a) => ({ ...a, placedAt: iso(a.placedAt)!, answeredAt: iso(a.answeredAt), endedAt: iso(a.endedAt) })) };
}

const RESULT_COLUMNS = ["contact", "number", "timezone", "state", "result", "attempts", "last_outcome", "first_placed_at", "last_placed_at", "answered_at", "ended_at", "cloudonix_tokens", "variables"];

function resultLine(contact: ContactResult): string {
  const last = contact.attempts.at(-1);
  const answered = contact.attempts.find((a) => a.answeredAt !== null);
  const cells = [
    contact.id,
    contact.number,
    contact.timezone,
    contact.state,
    contact.result,
    contact.attempts.length,
    last?.outcome ?? null,
    iso(contact.attempts[0]?.placedAt ?? null),
    iso(last?.placedAt ?? null),
    iso(answered?.answeredAt ?? null),
    iso(last?.endedAt ?? null),
    contact.attempts.map((a) => a.token ?? "").join(" "),
    Object.keys(contact.variables).length ? contact.variables : null,
  ];
  return `${cells.map(csvCell).join(",")}\r\n`;
}
