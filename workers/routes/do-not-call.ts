import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { MAX_LISTED_ERRORS, toE164 } from "../campaigns/contacts";
import { parseDoNotCallFile } from "../campaigns/do-not-call-file";
import { listDoNotCall, openCampaignIds, removeDoNotCall } from "../db/repos/campaigns";
import { addDoNotCallEntries } from "../db/repos/do-not-call";
import { insertAudit } from "../db/repos/audit-log";
import { auditContext } from "../lib/change";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { AppError, notFound } from "../lib/errors";
import { log } from "../lib/log";
import { readTextUpload } from "../lib/text-upload";
import { AddDncBody, DncNumberParams, DncPage, ListDncQuery } from "../schemas/campaigns";
import { UploadDncQuery, UploadDncResult } from "../schemas/do-not-call";

const route = apiRoutes("Do-not-call list");

/** A 100,000-row file of numbers with short notes is a few megabytes. */
const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
/** Numbers per request to a campaign's runner. */
const MARK_CHUNK = 10_000;

/**
 * Numbers just put on the list reach every open campaign at once: its contacts not yet dialled
 * with them are skipped. Returns how many campaigns heard of all of them.
 */
async function tellCampaigns(c: Context<AppEnv>, tenantId: string, numbers: readonly string[]): Promise<number> {
  const ids = await openCampaignIds(await c.get("services").db(), tenantId);
  let told = 0;
  for (const id of ids) {
    try {
      const stub = c.env.CAMPAIGN_RUNNER.getByName(`${tenantId}:${id}`);
      for (let i = 0; i < numbers.length; i += MARK_CHUNK) await stub.markDoNotCall(numbers.slice(i, i + MARK_CHUNK));
      told++;
    } catch (err) {
      // The campaign's next start or resume checks the whole list again.
      log.warn("campaign.dnc_not_delivered", { campaignId: id, error: err });
    }
  }
  return told;
}

/**
 * The tenant's do-not-call list: numbers no campaign of the tenant ever dials. A number added
 * while campaigns run reaches them at once (their contacts not yet dialled with it are skipped);
 * a campaign starting or resuming checks its contacts against the whole list again.
 */
export const doNotCallRoutes = new Hono<AppEnv>()
  .use(requireAuth, adminWrites)
  .get("/", route("List the do-not-call numbers", { query: ListDncQuery, response: DncPage }), async (c) => {
    const { sort, order, limit, cursor, ...filters } = c.req.valid("query");
    const page = await listDoNotCall(await c.get("services").db(), c.get("auth").tenantId, filters, { sort, order, limit, cursor, filters });
    return c.json({ items: page.rows.map((row) => ({ number: row.number, note: row.note, createdAt: row.createdAt.toISOString() })), nextCursor: page.nextCursor });
  })
  .post(
    "/",
    route("Add numbers (at most 10,000 a request; those already listed stay as they are); campaigns skip them from now on", { auth: "admin", body: AddDncBody, response: z.object({ added: z.number().int(), campaignsTold: z.number().int() }) }),
    async (c) => {
      const { numbers, note } = c.req.valid("json");
      const { tenantId } = c.get("auth");
      const db = await c.get("services").db();
      const added = await db.transaction(async (tx) => {
        const { added: count } = await addDoNotCallEntries(
          tx,
          tenantId,
          [...new Set(numbers)].map((number) => ({ number, note: note ?? "" })),
        );
        await insertAudit(tx, auditContext(c), [{ action: "do_not_call.added", entityType: "do_not_call", entityId: null, before: null, after: { numbers: numbers.slice(0, 100), count: numbers.length, note: note ?? "" } }]);
        return count;
      });
      return c.json({ added, campaignsTold: await tellCampaigns(c, tenantId, numbers) });
    },
  )
  .post(
    "/upload",
    route("Add numbers from a file (CSV or text: one number a line, optionally a note after a comma, an optional header line such as phone,note; at most 100,000 rows); numbers already on the list stay as they are", {
      auth: "admin",
      query: UploadDncQuery,
      bodyType: "text/csv",
      response: UploadDncResult,
      errors: [413, 415],
    }),
    async (c) => {
      const parsed = parseDoNotCallFile(await readTextUpload(c, MAX_UPLOAD_BYTES, "do-not-call list"));
      if (!parsed.ok) throw new AppError(parsed.code === "TOO_MANY_NUMBERS" ? 413 : 400, parsed.code, parsed.message, { errors: parsed.errors });
      if (parsed.errorCount > 0 && c.req.valid("query").skipInvalid !== "true") {
        const first = parsed.errors[0]!;
        throw new AppError(400, "INVALID_NUMBERS", `${parsed.errorCount} of ${parsed.rows} rows are not valid (line ${first.line}${first.field ? `, ${first.field}` : ""}: ${first.message}); fix them, or send ?skipInvalid=true to add the others`, {
          errorCount: parsed.errorCount,
          errors: parsed.errors,
          listed: Math.min(parsed.errorCount, MAX_LISTED_ERRORS),
        });
      }
      if (parsed.entries.length === 0) throw new AppError(400, "NO_NUMBERS", "The file holds no valid number");
      const { tenantId } = c.get("auth");
      const db = await c.get("services").db();
      const numbers = parsed.entries.map((e) => e.number);
      const counts = await db.transaction(async (tx) => {
        const result = await addDoNotCallEntries(tx, tenantId, parsed.entries);
        const after = { numbers: numbers.slice(0, 100), count: numbers.length, added: result.added, alreadyListed: result.alreadyListed, source: "upload" };
        await insertAudit(tx, auditContext(c), [{ action: "do_not_call.added", entityType: "do_not_call", entityId: null, before: null, after }]);
        return result;
      });
      const campaignsTold = await tellCampaigns(c, tenantId, numbers);
      return c.json({ rows: parsed.rows, ...counts, merged: parsed.merged, invalid: parsed.errorCount, campaignsTold, errors: parsed.errors });
    },
  )
  .delete("/:number", route("Take a number off the list", { auth: "admin", params: DncNumberParams }), async (c) => {
    const number = toE164(decodeURIComponent(c.req.param("number")));
    if (!number) throw new AppError(400, "VALIDATION_FAILED", "The number is not a phone number in E.164 form");
    const { tenantId } = c.get("auth");
    const db = await c.get("services").db();
    const removed = await db.transaction(async (tx) => {
      const gone = await removeDoNotCall(tx, tenantId, number);
      if (gone) await insertAudit(tx, auditContext(c), [{ action: "do_not_call.removed", entityType: "do_not_call", entityId: null, before: { number }, after: null }]);
      return gone;
    });
    if (!removed) throw notFound("Number");
    return c.body(null, 204);
  });
