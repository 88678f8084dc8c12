import { useState } from "react";
import { Alert, Button, Checkbox, FileInput, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useUploadContacts, type UploadResult } from "../../api/campaigns";
import { LineErrors, errorCountOf, rowErrors } from "./line-errors";

/** Uploads the contact list (a draft campaign only): errors are listed by line. */
export function ContactsUpload({ campaignId, contactCount }: { campaignId: string; contactCount: number }) {
  const upload = useUploadContacts(campaignId);
  const [file, setFile] = useState<File | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [result, setResult] = useState<UploadResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const send = async () => {
    if (!file) return;
    setError(null);
    setResult(null);
    try {
      setResult(await upload.mutateAsync({ csv: file, skipInvalid }));
    } catch (err) {
      setError(err);
    }
  };
  const listed = rowErrors(error);
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
        <Group align="flex-end">
          <FileInput label="Contact list (CSV)" accept=".csv,text/csv" value={file} onChange={setFile} clearable clearButtonProps={{ "aria-label": "Clear the chosen file" }} w={320} />
          <Checkbox label="Load the valid rows, skip the invalid ones" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.currentTarget.checked)} />
          <Button onClick={() => void send()} disabled={!file} loading={upload.isPending}>
            Upload
          </Button>
        </Group>
        {error !== null && (
          <Alert color="red" title="Not loaded" role="alert">
            <Stack gap="sm">
              <Text size="sm">{error instanceof Error ? error.message : String(error)}</Text>
              <LineErrors errors={listed} total={errorCountOf(error)} />
            </Stack>
          </Alert>
        )}
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
