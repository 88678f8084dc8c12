import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { toE164 } from "../campaigns/contacts";
import { addDoNotCall, listDoNotCall, openCampaignIds, removeDoNotCall } from "../db/repos/campaigns";
import { insertAudit } from "../db/repos/audit-log";
import { auditContext } from "../lib/change";
import { adminWrites, requireAuth } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { AppError, notFound } from "../lib/errors";
import { log } from "../lib/log";
import { AddDncBody, DncNumberParams, DncPage, ListDncQuery } from "../schemas/campaigns";
import { z } from "zod";

const route = apiRoutes("Do-not-call list");

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
  .post("/", route("Add numbers (at most 10,000 a request); campaigns skip them from now on", { auth: "admin", body: AddDncBody, response: z.object({ added: z.number().int(), campaignsTold: z.number().int() }) }), async (c) => {
    const { numbers, note } = c.req.valid("json");
    const { tenantId } = c.get("auth");
    const db = await c.get("services").db();
    const added = await db.transaction(async (tx) => {
      const count = await addDoNotCall(tx, tenantId, numbers, note ?? "");
      await insertAudit(tx, auditContext(c), [{ action: "do_not_call.added", entityType: "do_not_call", entityId: null, before: null, after: { numbers: numbers.slice(0, 100), count: numbers.length, note: note ?? "" } }]);
      return count;
    });
    const ids = await openCampaignIds(db, tenantId);
    let told = 0;
    for (const id of ids) {
      try {
        await c.env.CAMPAIGN_RUNNER.getByName(`${tenantId}:${id}`).markDoNotCall(numbers);
        told++;
      } catch (err) {
        // The campaign's next start or resume checks the whole list again.
        log.warn("campaign.dnc_not_delivered", { campaignId: id, error: err });
      }
    }
    return c.json({ added, campaignsTold: told });
  })
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
