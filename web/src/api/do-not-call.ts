import type { z } from "zod";
import type { UploadDncResult } from "../../../workers/schemas/do-not-call";
import { campaignKeys } from "./campaigns";
import { useApiMutation } from "./mutations";
import { uploadCsv } from "./upload";

/** What a do-not-call upload reports: numbers added, already listed, merged, invalid rows by line. */
export type DncUploadResult = z.output<typeof UploadDncResult>;

export const uploadDoNotCall = (file: Blob | string, skipInvalid: boolean) => uploadCsv<DncUploadResult>("POST", `/api/do-not-call/upload${skipInvalid ? "?skipInvalid=true" : ""}`, file);

export function useUploadDoNotCall() {
  return useApiMutation({
    mutationFn: ({ file, skipInvalid }: { file: Blob | string; skipInvalid: boolean }) => uploadDoNotCall(file, skipInvalid),
    invalidates: [campaignKeys.dnc],
    success: (result) => `${result.added.toLocaleString()} number${result.added === 1 ? "" : "s"} added to the do-not-call list`,
    toastErrors: false,
  });
}
