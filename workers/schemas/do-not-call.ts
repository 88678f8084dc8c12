import { z } from "zod";

export const UploadDncQuery = z.strictObject({
  skipInvalid: z.enum(["true", "false"]).optional().meta({ description: "true: add the valid rows and list the others; default: refuse the whole file when any row is invalid" }),
});

export const UploadDncResult = z.object({
  rows: z.number().int().meta({ description: "Data rows in the file (a header line not counted)" }),
  added: z.number().int().meta({ description: "Numbers new to the list" }),
  alreadyListed: z.number().int().meta({ description: "Numbers the list already held: left as they were" }),
  merged: z.number().int().meta({ description: "Rows whose number an earlier row already had" }),
  invalid: z.number().int(),
  campaignsTold: z.number().int().meta({ description: "Open campaigns told to skip the numbers" }),
  errors: z.array(z.object({ line: z.number().int(), field: z.string().nullable(), message: z.string() })).meta({ description: "Invalid rows by line (at most 1,000 listed)" }),
});
