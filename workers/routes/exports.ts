import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { findExport } from "../db/repos/exports";
import { exportsTable } from "../db/schema";
import { verifyDownload } from "../exports/download-token";
import { isExpired, toExportDto } from "../exports/jobs";
import { bearerToken, requireAuth, authenticateToken } from "../middleware/auth";
import { apiRoutes } from "../openapi/declare";
import { AppError, notFound } from "../lib/errors";
import { DownloadQuery, ExportIdParams, ExportSchema } from "../schemas/exports";
import { eq } from "drizzle-orm";

const route = apiRoutes("Call records");

export const exportsRoutes = new Hono<AppEnv>()
  .get("/:id", route("An export's status and progress, and its download link when done", { params: ExportIdParams, response: ExportSchema }), requireAuth, async (c) => {
    const db = await c.get("services").db();
    const job = await findExport(db, c.get("auth").tenantId, c.req.param("id"));
    if (!job) throw notFound("Export");
    return c.json(await toExportDto(job, c.env.TOKEN_SIGNING_KEY));
  })
  .get(
    "/:id/download",
    route("Download a finished export (Bearer token, or the short-lived token of downloadUrl)", {
      auth: "none",
      params: ExportIdParams,
      query: DownloadQuery,
      response: null,
      status: 200,
      responseType: "text/csv",
      errors: [401, 410],
      description: "Streams the file from storage; Range requests are honoured. 410 once the export has expired.",
    }),
    async (c) => {
      const { token } = c.req.valid("query");
      const id = c.req.param("id");
      const services = c.get("services");
      const db = await services.db();
      let tenantId: string;
      if (token) {
        const [row] = await db.select({ tenantId: exportsTable.tenantId }).from(exportsTable).where(eq(exportsTable.id, id)).limit(1);
        if (!row || !(await verifyDownload(c.env.TOKEN_SIGNING_KEY, token, id, row.tenantId))) {
          throw new AppError(401, "INVALID_DOWNLOAD_TOKEN", "This download link is invalid or has expired; get a fresh one from GET /api/exports/{id}");
        }
        tenantId = row.tenantId;
      } else {
        const bearer = bearerToken(c.req.header("authorization"));
        if (!bearer) throw new AppError(401, "UNAUTHENTICATED", "Send Authorization: Bearer <token>, or use the downloadUrl of GET /api/exports/{id}");
        tenantId = (await authenticateToken(services, bearer)).tenantId;
      }
      const job = await findExport(db, tenantId, id);
      if (!job) throw notFound("Export");
      // The hourly cleanup deletes the file some time after expiry; the link dies at expiry itself.
      if (isExpired(job)) throw new AppError(410, "EXPORT_EXPIRED", "This export has expired and its file is deleted; start a new one");
      if (job.status !== "done" || !job.objectKey) throw new AppError(409, "EXPORT_NOT_READY", `The export is ${job.status}; poll GET /api/exports/${id} until it is done`);
      const ranged = c.req.header("range") !== undefined;
      let object: R2ObjectBody | null;
      try {
        object = await c.env.EXPORTS.get(job.objectKey, ranged ? { range: c.req.raw.headers } : undefined);
      } catch (err) {
        if (!ranged) throw err;
        throw new AppError(416, "RANGE_NOT_SATISFIABLE", `The Range header cannot be served (the file has ${job.sizeBytes ?? "?"} bytes)`);
      }
      if (!object) throw new AppError(410, "EXPORT_EXPIRED", "The export's file is gone; start a new one");
      const headers = new Headers();
      object.writeHttpMetadata(headers);
      headers.set("ETag", object.httpEtag);
      headers.set("Accept-Ranges", "bytes");
      headers.set("Cache-Control", "private, no-store");
      headers.set("X-Content-Type-Options", "nosniff");
      const range = object.range as { offset?: number; length?: number } | undefined;
      if (ranged && range && range.offset !== undefined) {
        const length = range.length ?? object.size - range.offset;
        headers.set("Content-Range", `bytes ${range.offset}-${range.offset + length - 1}/${object.size}`);
        headers.set("Content-Length", String(length));
        return new Response(object.body, { status: 206, headers });
      }
      headers.set("Content-Length", String(object.size));
      return new Response(object.body, { status: 200, headers });
    },
  );
