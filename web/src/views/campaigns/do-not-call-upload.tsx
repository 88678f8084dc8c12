import { Alert, Paper, Stack, Text, Title } from "@mantine/core";
import { useUploadDoNotCall } from "../../api/do-not-call";
import { FileUploadControls, useFileUpload } from "./file-upload";
import { LineErrors } from "./line-errors";

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** Adds numbers to the do-not-call list from a file: invalid rows are listed by line. */
export function DoNotCallUpload() {
  const upload = useUploadDoNotCall();
  const state = useFileUpload((file, skipInvalid) => upload.mutateAsync({ file, skipInvalid }));
  const { result } = state;
  return (
    <Paper withBorder p="lg" maw={760} mb="lg" component="section" aria-labelledby="dnc-upload-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="dnc-upload-title">
          Upload a file
        </Title>
        <Text size="sm" c="dimmed">
          A CSV or text file with one number a line (E.164, e.g. +14155550100), optionally followed by a note after a comma. A first line such as <span className="mono">phone,reason</span> is read as a header. At most 100,000 rows; numbers already on the list
          stay as they are.
        </Text>
        <FileUploadControls state={state} fileLabel="Do-not-call file (CSV or text)" accept=".csv,.txt,text/csv,text/plain" skipLabel="Add the valid rows, skip the invalid ones" pending={upload.isPending} refusedTitle="Nothing added" />
        {result && (
          <Alert color="teal" title="Added" role="status">
            <Stack gap="sm">
              <Text size="sm">
                {plural(result.added, "number")} added from {plural(result.rows, "row")} ({result.alreadyListed.toLocaleString()} already on the list, {plural(result.merged, "duplicate")} merged, {plural(result.invalid, "invalid row")} skipped);{" "}
                {plural(result.campaignsTold, "open campaign")} told.
              </Text>
              <LineErrors errors={result.errors} total={result.invalid} />
            </Stack>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
