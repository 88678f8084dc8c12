import { z } from "zod";
import { DEFAULT_EXPORT_FIELDS, EXPORT_FIELD_NAMES } from "../exports/field-names";
import { Timestamp } from "./common";
import { checkContainsPeriod, RECORD_SORTS, recordFilterFields } from "./call-records";

/** The list's filters as JSON (answered is a boolean here, status a list or a comma string). */
export const ExportFilters = z
  .strictObject({ ...recordFilterFields, answered: z.boolean().optional() })
  .superRefine((value, ctx) => {
    if (value.since && value.until && value.since >= value.until) ctx.addIssue({ code: "custom", path: ["until"], message: "must be after since" });
  })
  .meta({ description: "The same filters as GET /api/call-records" });

export const CreateExportBody = z
  .strictObject({
    format: z.enum(["csv", "json"], { message: 'must be "csv" or "json"' }).default("csv"),
    fields: z
      .array(z.enum(EXPORT_FIELD_NAMES, { message: `must be one of ${EXPORT_FIELD_NAMES.join(", ")}` }))
      .min(1, "choose at least one field")
      .max(EXPORT_FIELD_NAMES.length)
      .transform((fields) => [...new Set(fields)])
      .optional()
      .meta({ description: `Columns, in order; default ${DEFAULT_EXPORT_FIELDS.join(", ")} (attempts and routing are JSON and opt-in)` }),
    filters: ExportFilters.default({ callerMatch: "prefix", calleeMatch: "prefix" }),
    sort: z.enum(RECORD_SORTS).default("startedAt"),
    order: z.enum(["asc", "desc"]).default("desc"),
  })
  .superRefine((value, ctx) => checkContainsPeriod(value.filters, ctx, ["filters"]));
export type CreateExportInput = z.output<typeof CreateExportBody>;

export const ExportIdParams = z.object({ id: z.string().min(1).max(64).meta({ description: "The export's id (exp_…)" }) });

export const ExportSchema = z.object({
  id: z.string(),
  status: z.enum(["queued", "running", "done", "failed", "expired"]),
  format: z.enum(["csv", "json"]),
  fields: z.array(z.string()),
  filters: z.record(z.string(), z.unknown()),
  sort: z.string(),
  order: z.string(),
  rowCount: z.number().int().meta({ description: "Rows written so far" }),
  totalRows: z.number().int().nullable().meta({ description: "Rows the filters matched when the export was created" }),
  progress: z.number().min(0).max(1),
  sizeBytes: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: Timestamp,
  completedAt: Timestamp.nullable(),
  expiresAt: Timestamp.nullable().meta({ description: "After this the file is deleted and the export is expired" }),
  downloadUrl: z.string().nullable().meta({ description: "When done: a link valid for 5 minutes (no Authorization header needed). GET /api/exports/{id}/download with a Bearer token works too." }),
});
export type ExportDto = z.infer<typeof ExportSchema>;

export const DownloadQuery = z.object({
  token: z.string().max(200).optional().meta({ description: "The short-lived token of downloadUrl; omit when sending Authorization" }),
});
