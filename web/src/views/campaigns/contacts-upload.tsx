import { Alert, Paper, Stack, Text, Title } from "@mantine/core";
import { useUploadContacts } from "../../api/campaigns";
import { FileUploadControls, useFileUpload } from "./file-upload";
import { LineErrors } from "./line-errors";

/** Uploads the contact list (a draft campaign only): errors are listed by line. */
export function ContactsUpload({ campaignId, contactCount }: { campaignId: string; contactCount: number }) {
  const upload = useUploadContacts(campaignId);
  const state = useFileUpload((csv, skipInvalid) => upload.mutateAsync({ csv, skipInvalid }));
  const { result } = state;
  return (
    <Paper withBorder p="lg" aria-label="Contacts">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Contacts
        </Title>
        <Text size="sm" c="dimmed">
          A CSV file with a header line: <span className="mono">phone</span> (E.164, e.g. +14155550100), an optional <span className="mono">timezone</span> (e.g. America/Chicago), then any variables (e.g. <span className="mono">first_name</span>), sent to the
          agent as headers <span className="mono">X-first_name</span>. At most 100,000 rows; a number given twice is merged into its first row. {contactCount > 0 && `${contactCount.toLocaleString()} contacts are loaded; a new file replaces them.`}
        </Text>
        <FileUploadControls state={state} fileLabel="Contact list (CSV)" accept=".csv,text/csv" skipLabel="Load the valid rows, skip the invalid ones" pending={upload.isPending} refusedTitle="Not loaded" />
        {result && (
          <Alert color="teal" title="Loaded">
            <Stack gap="sm">
              <Text size="sm">
                {result.imported.toLocaleString()} contacts from {result.rows.toLocaleString()} rows ({result.merged} duplicates merged, {result.invalid} invalid rows skipped, {result.doNotCall} on the do-not-call list).
              </Text>
              <LineErrors errors={result.errors} total={result.invalid} />
            </Stack>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
