import type { Context } from "hono";
import { log } from "../lib/log";
import type { AppEnv } from "../app-env";
import type { Db } from "../db/client";
import type { Env } from "../env";
import { countRecords, readRawRecords, type RecordSort } from "../db/repos/call-records";
import { activeExportCount, claimExport, findExport, insertExport, updateExport, type ExportRow } from "../db/repos/exports";
import { findTenant } from "../db/repos/tenants";
import { exportsTable } from "../db/schema";
import type { CursorPosition, SortOrder } from "../analytics/records-cursor";
import { AppError } from "../lib/errors";
import { base64Url, fromBase64Url, newId } from "../lib/ids";
import { parseWith } from "../lib/validation";
import { ExportFilters, type CreateExportInput, type ExportDto } from "../schemas/exports";
import type { RecordFilterInput } from "../schemas/call-records";
import { signDownload } from "./download-token";
import { DEFAULT_EXPORT_FIELDS, EXPORT_FIELDS, contentType, exportFooter, exportHeader, exportLine, type ExportField, type ExportFormat } from "./fields";
import { PartWriter } from "./part-writer";
import { eq } from "drizzle-orm";

/*
 * Exports run off the request, as messages on the EXPORT_JOBS queue (kind "export"): a queue
 * message survives a Worker restart and is redelivered until acknowledged, and its retries end
 * in the dead-letter queue, which marks the job failed. The job streams keyset pages of records
 * into an R2 multipart upload, one fixed-size part at a time, and checkpoints after every part
 * (parts, keyset position, the tail not yet uploaded), so a redelivery resumes where the last
 * part ended rather than starting over. Long jobs yield after a time slice and re-enqueue.
 */

export interface ExportMessage {
  kind: "export";
  exportId: string;
  tenantId: string;
}

export const isExportMessage = (body: unknown): body is ExportMessage => typeof body === "object" && body !== null && (body as { kind?: unknown }).kind === "export" && typeof (body as ExportMessage).exportId === "string";

export const MAX_EXPORT_ROWS = 1_000_000;
export const MAX_ACTIVE_EXPORTS = 3;
export const EXPORT_TTL_MS = 24 * 3_600_000;
/** A running job whose lease (updated_at) is older than this is taken over. */
export const LEASE_MS = 2 * 60_000;
export const MAX_EXPORT_ATTEMPTS = 5;
const MIB = 1024 * 1024;

interface StoredQuery {
  filters: Record<string, unknown>;
  sort: RecordSort;
  order: SortOrder;
}

interface Checkpoint {
  /** Every part but the last must have the same size, so a resumed job keeps the first one's. */
  partBytes: number;
  after: CursorPosition | null;
  rows: number;
  bytes: number;
  /** base64url of the bytes written after the last uploaded part. */
  pending: string;
  headerWritten: boolean;
}

/** The filters as stored (JSON: dates as ISO strings, nothing undefined). */
function storedFilters(filters: CreateExportInput["filters"]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

const extension = (format: ExportFormat) => (format === "csv" ? "csv" : "json");

/** Past its expiry a job is expired, whether or not the hourly cleanup has deleted its file yet. */
export const isExpired = (row: Pick<ExportRow, "status" | "expiresAt">, now = Date.now()): boolean => row.status === "expired" || (row.status === "done" && row.expiresAt !== null && row.expiresAt.getTime() <= now);

export async function toExportDto(row: ExportRow, signingKey: string, now = Date.now()): Promise<ExportDto> {
  const query = row.filters as unknown as StoredQuery;
  const expired = isExpired(row, now);
  const done = row.status === "done" && row.objectKey !== null && !expired;
  return {
    id: row.id,
    status: expired ? "expired" : row.status,
    format: row.format,
    fields: row.fields,
    filters: query.filters ?? {},
    sort: query.sort ?? "startedAt",
    order: query.order ?? "desc",
    rowCount: row.rowCount,
    totalRows: row.totalRows,
    progress: row.status === "done" ? 1 : row.totalRows ? Math.min(1, Math.round((row.rowCount / row.totalRows) * 1000) / 1000) : 0,
    sizeBytes: row.sizeBytes,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    downloadUrl: done ? `/api/exports/${row.id}/download?token=${await signDownload(signingKey, row.id, row.tenantId)}` : null,
  };
}

/** POST /api/call-records/export: checks, records the job, enqueues it. */
export async function createExport(c: Context<AppEnv>, input: CreateExportInput): Promise<ExportDto> {
  const auth = c.get("auth");
  const { tenantId } = auth;
  const db = await c.get("services").db();
  const now = Date.now();
  const tooMany = () => new AppError(429, "TOO_MANY_EXPORTS", `At most ${MAX_ACTIVE_EXPORTS} exports run at once per tenant; wait for one to finish`, undefined, { "Retry-After": "30" });
  // A cheap early refusal; the count that counts is the locked one below.
  if ((await activeExportCount(db, tenantId, new Date(now - LEASE_MS))) >= MAX_ACTIVE_EXPORTS) throw tooMany();
  const total = await countRecords(db, tenantId, input.filters as Partial<RecordFilterInput>);
  if (total > MAX_EXPORT_ROWS) {
    throw new AppError(400, "EXPORT_TOO_LARGE", `The filters match ${total} records; an export holds at most ${MAX_EXPORT_ROWS}. Narrow the time range or add filters.`, { matched: total, max: MAX_EXPORT_ROWS });
  }
  const id = newId("exp", now);
  const row = {
    id,
    tenantId,
    // The user, or the API key (both ids fit the column).
    requestedBy: auth.kind === "user" ? auth.userId : auth.keyId,
    format: input.format,
    filters: { filters: storedFilters(input.filters), sort: input.sort, order: input.order } satisfies StoredQuery,
    fields: input.fields ?? DEFAULT_EXPORT_FIELDS,
    status: "queued" as const,
    totalRows: total,
    objectKey: `exports/${tenantId}/${id}.${extension(input.format)}`,
    createdAt: new Date(now),
    updatedAt: new Date(now),
  };
  // The tenant's row is the lock: concurrent requests count and insert one at a time, so no
  // two of them can both see room for the last export.
  await db.transaction(async (tx) => {
    if (!(await findTenant(tx, tenantId, { forUpdate: true }))) throw new AppError(404, "NOT_FOUND", "Tenant not found");
    if ((await activeExportCount(tx, tenantId, new Date(now - LEASE_MS))) >= MAX_ACTIVE_EXPORTS) throw tooMany();
    await insertExport(tx, row);
  });
  try {
    await c.env.EXPORT_JOBS.send({ kind: "export", exportId: id, tenantId } satisfies ExportMessage, { contentType: "json" });
  } catch (err) {
    await updateExport(db, id, { status: "failed", error: "could not be queued" });
    throw new AppError(503, "QUEUE_UNAVAILABLE", `The export could not be started (${(err as Error).message}); try again`);
  }
  return toExportDto((await findExport(db, tenantId, id))!, c.env.TOKEN_SIGNING_KEY);
}

export interface ExportRunOptions {
  /** R2 needs ≥ 5 MiB for every part but the last. */
  partBytes?: number;
  /** Yield (checkpoint and re-enqueue) after this much wall time. */
  sliceMs?: number;
  chunkRows?: number;
  now?: () => number;
}

/** done: finished or nothing to do; busy: another worker holds it (retry later); continued: re-enqueued. */
export type ExportOutcome = "done" | "gone" | "busy" | "continued" | "failed";

/** Runs (or resumes) one export job. Throws on a transient failure, so the queue retries it. */
export async function runExport(env: Env, db: Db, message: ExportMessage, options: ExportRunOptions = {}): Promise<ExportOutcome> {
  const now = options.now ?? Date.now;
  const job = await findExport(db, message.tenantId, message.exportId);
  if (!job || job.status === "done" || job.status === "failed" || job.status === "expired") return "gone";
  if (!(await claimExport(db, job.id, new Date(now() - LEASE_MS), new Date(now())))) return "busy";
  try {
    return await streamExport(env, db, job, options, now);
  } catch (err) {
    if (job.attempts + 1 >= MAX_EXPORT_ATTEMPTS) {
      await failExport(env, db, job, `gave up after ${job.attempts + 1} attempts: ${(err as Error).message}`);
      return "failed";
    }
    // Release the lease at once, so the queue's retry can take the job over.
    await updateExport(db, job.id, { updatedAt: new Date(0) });
    throw err;
  }
}

export async function failExport(env: Env, db: Db, job: Pick<ExportRow, "id" | "objectKey" | "uploadId">, error: string): Promise<void> {
  if (job.uploadId && job.objectKey) {
    await env.EXPORTS.resumeMultipartUpload(job.objectKey, job.uploadId)
      .abort()
      .catch(() => {});
  }
  await updateExport(db, job.id, { status: "failed", error: error.slice(0, 500), uploadId: null, cursor: null, updatedAt: new Date() });
}

async function streamExport(env: Env, db: Db, job: ExportRow, options: ExportRunOptions, now: () => number): Promise<ExportOutcome> {
  const started = now();
  const sliceMs = options.sliceMs ?? 60_000;
  const query = job.filters as unknown as StoredQuery;
  const filters = parseWith(ExportFilters, query.filters, "stored export filters") as Partial<RecordFilterInput>;
  const fields = job.fields as ExportField[];
  const format = job.format;
  const chunkRows = options.chunkRows ?? (fields.includes("routing") || fields.includes("attempts") ? 500 : 5_000);
  const key = job.objectKey ?? `exports/${job.tenantId}/${job.id}.${extension(format)}`;

  let uploadId = job.uploadId;
  const upload = uploadId
    ? env.EXPORTS.resumeMultipartUpload(key, uploadId)
    : await env.EXPORTS.createMultipartUpload(key, {
        httpMetadata: { contentType: contentType(format), contentDisposition: `attachment; filename="call-records-${job.id}.${extension(format)}"` },
        customMetadata: { tenantId: job.tenantId, exportId: job.id },
      });
  if (!uploadId) {
    uploadId = upload.uploadId;
    await updateExport(db, job.id, { uploadId, objectKey: key, updatedAt: new Date(now()) });
  }

  const saved = job.cursor ? (JSON.parse(job.cursor) as Checkpoint) : null;
  const partBytes = saved?.partBytes ?? options.partBytes ?? 5 * MIB;
  const parts = saved ? [...job.parts] : [];
  let after = saved?.after ?? null;
  let rows = saved?.rows ?? 0;
  let bytes = saved?.bytes ?? 0;
  const writer = new PartWriter(partBytes, saved?.pending ? fromBase64Url(saved.pending) : undefined);
  let ready: Uint8Array[] = saved?.headerWritten ? [] : writer.write(exportHeader(format, fields));

  const expressions = fields.map((f) => EXPORT_FIELDS[f].expression);
  const fetchChunk = (from: CursorPosition | null) => {
    const promise = readRawRecords(db, job.tenantId, { filters, sort: query.sort, order: query.order, after: from, limit: chunkRows }, expressions);
    promise.catch(() => {}); // a prefetch abandoned by a yield must not become an unhandled rejection
    return promise;
  };
  const timing = { db: 0, format: 0, upload: 0 };
  const uploadReady = async () => {
    const t = performance.now();
    for (const part of ready) {
      parts.push(await upload.uploadPart(parts.length + 1, part));
      bytes += part.length;
    }
    ready = [];
    timing.upload += performance.now() - t;
  };
  let reportedRows = rows;
  let next = fetchChunk(after);
  for (let page = 0; page < 10_000; page++) {
    let t = performance.now();
    const { rows: chunk, last } = await next;
    timing.db += performance.now() - t;
    // The next page is read while this one is written out.
    if (chunk.length === chunkRows && last) next = fetchChunk(last);
    let yielded = false;
    t = performance.now();
    const n = fields.length;
    for (const row of chunk) {
      ready.push(...writer.write(exportLine(format, fields, row, rows)));
      rows++;
      after = { value: row[n] === null ? null : Number(row[n]), id: String(row[n + 1]) };
      if (!ready.length) continue;
      timing.format += performance.now() - t;
      await uploadReady();
      const checkpoint: Checkpoint = { partBytes, after, rows, bytes, pending: base64Url(writer.peek()), headerWritten: true };
      await updateExport(db, job.id, { parts, cursor: JSON.stringify(checkpoint), rowCount: rows, updatedAt: new Date(now()) });
      reportedRows = rows;
      t = performance.now();
      if (now() - started > sliceMs) {
        yielded = true;
        break;
      }
    }
    timing.format += performance.now() - t;
    if (yielded) {
      await env.EXPORT_JOBS.send({ kind: "export", exportId: job.id, tenantId: job.tenantId } satisfies ExportMessage, { contentType: "json" });
      // Hand the lease over to the message just sent; a slice that finished is not a failed attempt.
      await updateExport(db, job.id, { status: "queued", attempts: 0 });
      return "continued";
    }
    if (chunk.length < chunkRows) break;
    if (rows - reportedRows >= 10_000) {
      await updateExport(db, job.id, { rowCount: rows, updatedAt: new Date(now()) });
      reportedRows = rows;
    }
  }

  ready.push(...writer.write(exportFooter(format, rows)));
  const tail = writer.drain();
  if (tail.length || (!parts.length && !ready.length)) ready.push(tail);
  await uploadReady();
  await upload.complete(parts);
  const completedAt = now();
  await db
    .update(exportsTable)
    .set({
      status: "done",
      rowCount: rows,
      sizeBytes: bytes,
      parts: [],
      cursor: null,
      uploadId: null,
      objectKey: key,
      completedAt: new Date(completedAt),
      expiresAt: new Date(completedAt + EXPORT_TTL_MS),
      updatedAt: new Date(completedAt),
    })
    .where(eq(exportsTable.id, job.id));
  const ms = (x: number) => `${(x / 1000).toFixed(2)} s`;
  log.info("export.done", { exportId: job.id, tenantId: job.tenantId, rows, bytes, took: ms(completedAt - started), reading: ms(timing.db), writing: ms(timing.format), uploading: ms(timing.upload) });
  return "done";
}
